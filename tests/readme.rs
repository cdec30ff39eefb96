//! The README's program is `examples/sharded_valkey.rs`, word for word, and its
//! templates are snapshots (`snapshots/sharded_valkey__<env>.snap`), reviewed
//! like the seed examples' (`INSTA_UPDATE=always cargo test --test readme`).

#[allow(dead_code)]
#[path = "../examples/sharded_valkey.rs"]
mod sharded_valkey;

use redis_cdk::Environment;

const EXAMPLE: &str = include_str!("../examples/sharded_valkey.rs");

#[test]
fn the_readme_program_is_the_example() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("`examples/sharded_valkey.rs`:\n\n```rust\n").expect("the README shows the example");
    let block = &readme[start..];
    let block = &block[block.find("```rust\n").unwrap() + 8..];
    let block = &block[..block.find("```\n").expect("the block ends")];
    // the example's first line is its doc comment, which the README says in prose
    let program = EXAMPLE.split_once('\n').unwrap().1;
    assert_eq!(block, program, "README.md's program differs from examples/sharded_valkey.rs: copy it over");
}

#[test]
fn the_readme_program_matches_its_snapshots() {
    for env in Environment::ALL {
        let assembly = sharded_valkey::build(env, &sharded_valkey::Flags { shards: 3 })
            .synth()
            .unwrap_or_else(|e| panic!("{env}: {:#?}", e.diagnostics));
        let [stack] = &assembly.stacks[..] else { panic!("one stack") };
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("sharded_valkey__{env}"), stack.to_json());
        });
    }
}

#[test]
fn the_readme_counts_the_program_s_resources() {
    let assembly = sharded_valkey::build(Environment::Prod, &sharded_valkey::Flags { shards: 3 }).synth().unwrap();
    let n = assembly.stacks[0].template["Resources"].as_object().unwrap().len();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let claim = format!("`cargo run --example sharded_valkey -- --env prod` prints {n} resources");
    assert!(readme.contains(&claim), "the README should say: {claim}");
}
