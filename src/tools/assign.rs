//! `kafkasim assign`: the assignment a named Kafka assignor produces (written in its own branch;
//! this stub only lets the crate compile until it lands).
