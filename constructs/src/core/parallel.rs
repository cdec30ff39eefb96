//! The one parallel helper: work shared out to the cores, results in order.
//! Synthesis, schema compilation, durable writes and the CLI's `check` use it
//! ([`par_map`] is public for the CLI crate; synthesis's own queue, which checks
//! each template while the next is rendered, is the one other use of threads).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The number of threads the library uses: the cores available to the process, read once
/// (the standard library reads the cgroup limits from /proc and /sys at every call).
pub(crate) fn available_cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Maps `f` over `items` on up to as many threads as the machine has cores,
/// keeping the order of `items` in the result. Each thread, this one among them,
/// takes the next item not yet taken, so one slow item does not hold up a share of
/// the rest (`synth check` of many files, schemas of very different sizes).
///
/// A panic in `f` goes on up, once every thread has stopped.
///
/// ```
/// let squares = redis_cdk::core::parallel::par_map(&[1, 2, 3, 4, 5], |n| n * n);
/// assert_eq!(squares, [1, 4, 9, 16, 25]);
/// ```
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = available_cores().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break mine };
            mine.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for h in handles {
            done.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Like [`par_map`], but `f` maps a whole share of `items` (one per thread) to
/// one result per item, so it can keep state, such as a buffer, across its share.
pub(crate) fn par_map_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    par_map_chunks_on(available_cores(), items, f)
}

/// [`par_map_chunks`] on up to `threads` threads, for work that waits more than it
/// computes (disk flushes).
pub(crate) fn par_map_chunks_on<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return f(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut parts = items.chunks(chunk);
        let first = parts.next().unwrap_or_default();
        let handles: Vec<_> = parts.map(|part| scope.spawn(|| f(part))).collect();
        let mut out = f(first);
        for h in handles {
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_whatever_takes_long() {
        let items: Vec<u64> = (0..200).collect();
        // every 7th item is slow, so the threads finish out of order
        let out = par_map(&items, |&n| {
            if n % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            n * 3
        });
        assert_eq!(out, items.iter().map(|n| n * 3).collect::<Vec<_>>());
        assert!(par_map(&[] as &[u8], |&b| b).is_empty());
        assert_eq!(par_map_chunks(&items, |part| part.to_vec()), items);
    }

    #[test]
    fn a_panic_goes_on_up() {
        let caught = std::panic::catch_unwind(|| par_map(&[1, 2, 3, 4], |&n| if n == 3 { panic!("three") } else { n }));
        assert!(caught.is_err());
    }
}
