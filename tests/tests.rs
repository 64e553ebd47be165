//! Integration tests: run the `newsdex` binary over temporary corpora and indexes and check
//! exact ids, totals, JSON shapes, exit codes and stderr.

mod cli;
