//! Producer compression (`compression.type`): not written yet.
