//! The one parallel helper: work shared out to the cores, results in order.
//! Synthesis, schema compilation, durable writes and the CLI's `check` use it.

use std::sync::OnceLock;

/// The number of threads the library uses: the cores available to the process, read once
/// (the standard library reads the cgroup limits from /proc and /sys at every call).
pub(crate) fn available_cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Maps `f` over `items` on up to as many threads as the machine has cores,
/// keeping the order of `items` in the result. The first share runs on this thread.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_chunks(items, |part| part.iter().map(&f).collect())
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
