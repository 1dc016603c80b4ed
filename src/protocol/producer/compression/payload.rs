//! The bytes a batch would carry, made up deterministically: the simulator never keeps record
//! payloads (a [`Record`] has only a key, a [`ValueId`] and a size), but a compressed size is
//! only honest if real bytes go through the codec.
//!
//! Records are laid out as Kafka's v2 record format writes them inside a batch
//! (`org.apache.kafka.common.record.DefaultRecord.writeTo`): a varint length, an attributes
//! byte, the timestamp delta from the batch's first record (varlong) and the offset delta
//! (varint), the key length (-1 for no key) and key, the value length and value, and a header
//! count of 0. All varints are zigzag-encoded, as Kafka's `ByteUtils.writeVarint/writeVarlong`.
//!
//! Values look like JSON event data (an order or click event): field names and enumerated
//! values repeat from record to record, while ids, timestamps, amounts and session tokens vary.
//! Each value is a function of `(value_seed, ValueId, value_bytes, key)` alone, cut to exactly
//! `value_bytes` bytes (so a large value may end mid-field). A 16 KiB batch then compresses
//! about 4x with gzip or zstd and 2.5x with snappy or lz4, as real JSON event streams do.
//!
//! Not modelled: record headers (the simulator's records have none) and the batch header
//! itself, which Kafka never compresses (its 61 bytes are added by the caller).

use crate::protocol::types::{Record, ValueId};

/// Appends the v2 records section of a batch holding `records` (offset deltas 0, 1, ...).
pub fn write_records_section(out: &mut Vec<u8>, records: &[Record], value_seed: u64) {
    let base_timestamp_ms = records.first().map_or(0, |r| r.timestamp_ms);
    for (offset_delta, record) in records.iter().enumerate() {
        let timestamp_delta = record.timestamp_ms as i64 - base_timestamp_ms as i64;
        let key = record.key.as_deref();
        let body_bytes = record_body_size(timestamp_delta, offset_delta as i32, key, record.value_bytes);
        write_varint(out, body_bytes);
        out.push(0); // attributes: unused in v2 records
        write_varlong(out, timestamp_delta);
        write_varint(out, offset_delta as i32);
        match key {
            None => write_varint(out, -1),
            Some(key) => {
                write_varint(out, key.len() as i32);
                out.extend_from_slice(key.as_bytes());
            }
        }
        write_varint(out, record.value_bytes as i32);
        write_value(out, record.value, record.value_bytes, key, value_seed);
        write_varint(out, 0); // header count
    }
}

/// The size of [`write_records_section`]'s output, without generating any value.
pub fn records_section_size(records: &[Record]) -> u64 {
    let base_timestamp_ms = records.first().map_or(0, |r| r.timestamp_ms);
    records
        .iter()
        .enumerate()
        .map(|(offset_delta, record)| {
            let timestamp_delta = record.timestamp_ms as i64 - base_timestamp_ms as i64;
            let body =
                record_body_size(timestamp_delta, offset_delta as i32, record.key.as_deref(), record.value_bytes);
            (varint_size(body) + body) as u64
        })
        .sum()
}

/// `DefaultRecord.sizeOfBodyInBytes` without headers.
fn record_body_size(timestamp_delta: i64, offset_delta: i32, key: Option<&str>, value_bytes: u32) -> i32 {
    let key_size = match key {
        None => 1,
        Some(key) => varint_size(key.len() as i32) + key.len() as i32,
    };
    1 + varlong_size(timestamp_delta)
        + varint_size(offset_delta)
        + key_size
        + varint_size(value_bytes as i32)
        + value_bytes as i32
        + 1
}

fn write_varint(out: &mut Vec<u8>, value: i32) {
    write_unsigned_varint(out, ((value << 1) ^ (value >> 31)) as u32 as u64);
}

fn write_varlong(out: &mut Vec<u8>, value: i64) {
    write_unsigned_varint(out, ((value << 1) ^ (value >> 63)) as u64);
}

fn write_unsigned_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn varint_size(value: i32) -> i32 {
    unsigned_varint_size(((value << 1) ^ (value >> 31)) as u32 as u64)
}

fn varlong_size(value: i64) -> i32 {
    unsigned_varint_size(((value << 1) ^ (value >> 63)) as u64)
}

fn unsigned_varint_size(value: u64) -> i32 {
    let bits = 64 - (value | 1).leading_zeros() as i32;
    (bits + 6) / 7
}

/// SplitMix64: a tiny deterministic generator, seeded per value (no shared RNG state, so a
/// value's bytes never depend on which other values were generated before it).
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(value_seed: u64, value: ValueId) -> SplitMix64 {
        let mut seeder = SplitMix64(value_seed ^ ((value.producer as u64) << 48) ^ value.sequence.rotate_left(17));
        SplitMix64(seeder.next_u64())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n small; the modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len() as u64) as usize]
    }
}

const EVENT_TYPES: &[&str] = &[
    "page_view",
    "add_to_cart",
    "remove_from_cart",
    "checkout_started",
    "order_placed",
    "payment_authorized",
    "payment_failed",
    "shipment_created",
    "search",
    "login",
    "logout",
    "review_posted",
];
const TIERS: &[&str] = &["free", "standard", "premium", "enterprise"];
const COUNTRIES: &[&str] =
    &["US", "DE", "FR", "GB", "IN", "BR", "JP", "CA", "AU", "NL", "ES", "IT", "SE", "PL", "MX", "KR"];
const DEVICES: &[&str] = &["ios", "android", "web-desktop", "web-mobile", "smart-tv", "api"];
const CURRENCIES: &[&str] = &["USD", "EUR", "GBP", "JPY", "INR"];
const PRODUCTS: &[&str] = &[
    "wireless mouse",
    "mechanical keyboard",
    "usb-c cable",
    "laptop stand",
    "noise cancelling headphones",
    "webcam",
    "monitor arm",
    "desk lamp",
    "coffee grinder",
    "water bottle",
    "running shoes",
    "yoga mat",
    "backpack",
    "phone case",
    "screen protector",
    "power bank",
    "bluetooth speaker",
    "smart watch",
    "fitness tracker",
    "e-reader",
    "board game",
    "paperback novel",
    "gift card",
    "plant pot",
    "chef knife",
    "cast iron pan",
    "tea sampler",
    "desk organizer",
    "hdmi adapter",
    "sd card",
    "travel adapter",
    "sunglasses",
];
const WORDS: &[&str] = &[
    "the",
    "customer",
    "asked",
    "for",
    "faster",
    "delivery",
    "and",
    "a",
    "refund",
    "on",
    "damaged",
    "item",
    "package",
    "arrived",
    "late",
    "but",
    "support",
    "was",
    "helpful",
    "please",
    "leave",
    "at",
    "door",
    "gift",
    "wrap",
    "requested",
    "address",
    "changed",
    "after",
    "order",
    "coupon",
    "applied",
    "twice",
    "retry",
    "payment",
    "with",
    "another",
    "card",
    "size",
    "too",
    "small",
    "exchange",
    "color",
    "blue",
    "call",
    "before",
    "arrival",
    "fragile",
    "handle",
    "with",
    "care",
    "weekend",
    "only",
    "building",
    "code",
    "needed",
    "second",
    "floor",
    "no",
    "plastic",
    "bag",
    "thanks",
    "again",
    "great",
];

/// Appends exactly `value_bytes` bytes of JSON-like event text for `value`.
pub fn write_value(out: &mut Vec<u8>, value: ValueId, value_bytes: u32, key: Option<&str>, value_seed: u64) {
    let start = out.len();
    let target = start + value_bytes as usize;
    out.reserve(value_bytes as usize + 96);
    let mut rng = SplitMix64::new(value_seed, value);

    out.extend_from_slice(b"{\"event_id\":\"");
    push_decimal(out, value.producer as u64);
    out.push(b'-');
    push_decimal(out, value.sequence);
    if let Some(key) = key {
        out.extend_from_slice(b"\",\"key\":\"");
        out.extend_from_slice(key.as_bytes());
    }
    // The session token comes early, so that even a small value carries some randomness.
    out.extend_from_slice(b"\",\"session\":\"");
    push_hex(out, rng.next_u64(), 16);
    out.extend_from_slice(b"\",\"type\":\"");
    out.extend_from_slice(rng.pick(EVENT_TYPES).as_bytes());
    out.extend_from_slice(b"\",\"ts\":");
    // Epoch milliseconds around November 2023; consecutive values share the leading digits.
    push_decimal(out, 1_700_000_000_000 + value.sequence * 40 + rng.below(40));
    out.extend_from_slice(b",\"user\":{\"id\":\"u");
    push_padded(out, rng.below(1_000_000), 6);
    out.extend_from_slice(b"\",\"tier\":\"");
    out.extend_from_slice(rng.pick(TIERS).as_bytes());
    out.extend_from_slice(b"\",\"country\":\"");
    out.extend_from_slice(rng.pick(COUNTRIES).as_bytes());
    out.extend_from_slice(b"\"},\"device\":\"");
    out.extend_from_slice(rng.pick(DEVICES).as_bytes());
    out.extend_from_slice(b"\",\"amount\":");
    push_decimal(out, rng.below(50_000));
    out.push(b'.');
    push_padded(out, rng.below(100), 2);
    out.extend_from_slice(b",\"currency\":\"");
    out.extend_from_slice(rng.pick(CURRENCIES).as_bytes());
    out.extend_from_slice(b"\",\"items\":[");
    let mut first = true;
    while out.len() < target {
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(b"{\"sku\":\"SKU-");
        push_padded(out, rng.below(100_000), 5);
        out.extend_from_slice(b"\",\"name\":\"");
        out.extend_from_slice(rng.pick(PRODUCTS).as_bytes());
        out.extend_from_slice(b"\",\"qty\":");
        push_decimal(out, 1 + rng.below(5));
        out.extend_from_slice(b",\"price\":");
        push_decimal(out, rng.below(500));
        out.push(b'.');
        push_padded(out, rng.below(100), 2);
        if rng.below(3) == 0 {
            out.extend_from_slice(b",\"note\":\"");
            for i in 0..3 + rng.below(6) {
                if i > 0 {
                    out.push(b' ');
                }
                out.extend_from_slice(rng.pick(WORDS).as_bytes());
            }
            out.push(b'"');
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    // Cut to size: a value smaller than the fixed fields ends mid-field, like any other.
    out.truncate(target);
}

fn push_decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_padded(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut n = n;
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&digits[..width]);
}

fn push_hex(out: &mut Vec<u8>, n: u64, width: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for i in (0..width).rev() {
        out.push(HEX[((n >> (i * 4)) & 0xf) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn record(key: Option<&str>, sequence: u64, value_bytes: u32, timestamp_ms: u64) -> Record {
        Record::data(key.map(Arc::from), ValueId { producer: 1, sequence }, value_bytes, timestamp_ms)
    }

    #[test]
    fn varints_are_kafkas_zigzag() {
        let mut out = Vec::new();
        for (value, bytes) in [(0, vec![0u8]), (-1, vec![1]), (1, vec![2]), (63, vec![126]), (64, vec![128, 1])] {
            out.clear();
            write_varint(&mut out, value);
            assert_eq!(out, bytes, "varint {value}");
            assert_eq!(varint_size(value), bytes.len() as i32);
        }
        out.clear();
        write_varlong(&mut out, 300);
        assert_eq!(out, [0xd8, 0x04]);
        assert_eq!(varlong_size(i64::MIN), 10);
        assert_eq!(varint_size(i32::MIN), 5);
    }

    #[test]
    fn values_have_the_exact_size_and_are_deterministic() {
        for size in [0, 1, 5, 17, 100, 1000, 10_000] {
            let mut a = Vec::new();
            let mut b = Vec::new();
            write_value(&mut a, ValueId { producer: 3, sequence: 9 }, size, Some("user-7"), 42);
            write_value(&mut b, ValueId { producer: 3, sequence: 9 }, size, Some("user-7"), 42);
            assert_eq!(a.len(), size as usize);
            assert_eq!(a, b);
        }
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_value(&mut a, ValueId { producer: 3, sequence: 9 }, 200, None, 42);
        write_value(&mut b, ValueId { producer: 3, sequence: 9 }, 200, None, 43);
        assert_ne!(a, b, "the seed changes the bytes");
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with("{\"event_id\":\"3-9\",\"session\":\""), "{text}");
    }

    #[test]
    fn records_section_is_laid_out_as_kafka_v2() {
        let records = [record(None, 0, 3, 1000), record(Some("k"), 1, 2, 1005)];
        let mut out = Vec::new();
        write_records_section(&mut out, &records, 1);
        assert_eq!(out.len() as u64, records_section_size(&records));
        // First record: body = attributes 1 + ts delta 1 + offset delta 1 + key -1 (1) +
        // value length 1 + value 3 + headers 1 = 9 bytes, so length varint 18 (zigzag of 9).
        assert_eq!(&out[..5], &[18, 0, 0, 0, 1]);
        assert_eq!(out[5], 6); // value length 3
        assert_eq!(&out[6..9], b"{\"e");
        assert_eq!(out[9], 0); // no headers
                               // Second record: body = 1 + 1 + 1 + (1 + 1) + 1 + 2 + 1 = 9, ts delta 5, offset delta 1.
        assert_eq!(&out[10..17], &[18, 0, 10, 2, 2, b'k', 4]);
        assert_eq!(out.len(), 10 + 10);
    }
}
