//! The `natsfault` command; the work is in the library.

fn main() {
    natsfault::cli::main()
}
