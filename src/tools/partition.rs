//! `kafkasim partition`: written by another agent; this stub only lets the crate compile.
