use super::*;
use crate::protocol::types::ValueId;
use std::io::Read;
use std::sync::Arc;

/// A batch as a producer with `batch.size` = 16384 would fill it: `value_bytes` values, keys
/// from a pool of 100, one record per millisecond.
fn batch(value_bytes: u32, producer: u32) -> Vec<Record> {
    let per_record = value_bytes + 20;
    let count = (16_384 - 61) / per_record;
    (0..count.max(1) as u64)
        .map(|sequence| {
            let key = Some(Arc::from(format!("customer-{}", sequence * 37 % 100)));
            Record::data(key, ValueId { producer, sequence }, value_bytes, 1_000 + sequence)
        })
        .collect()
}

#[test]
fn compression_type_names_are_kafkas() {
    for (name, codec, id) in [
        ("none", CompressionType::None, 0),
        ("gzip", CompressionType::Gzip, 1),
        ("snappy", CompressionType::Snappy, 2),
        ("lz4", CompressionType::Lz4, 3),
        ("zstd", CompressionType::Zstd, 4),
    ] {
        assert_eq!(CompressionType::from_kafka_name(name), Ok(codec));
        assert_eq!(codec.kafka_name(), name);
        assert_eq!(codec.to_string(), name);
        assert_eq!(codec.id(), id);
    }
    assert_eq!(CompressionType::from_kafka_name("GZIP").unwrap_err().to_string(), "Unknown compression name: GZIP");
    assert!(CompressionType::from_kafka_name("lzo").is_err());
    let parsed: CompressionType = serde_json::from_str("\"zstd\"").unwrap();
    assert_eq!(parsed, CompressionType::Zstd);
}

#[test]
fn levels_default_and_validate_as_kafka() {
    assert_eq!(Compression::new(CompressionType::Gzip).level, Some(-1));
    assert_eq!(Compression::new(CompressionType::Lz4).level, Some(9));
    assert_eq!(Compression::new(CompressionType::Zstd).level, Some(3));
    assert_eq!(Compression::new(CompressionType::Snappy).level, None);
    assert_eq!(Compression::new(CompressionType::None).level, None);

    assert!(Compression::with_level(CompressionType::Gzip, -1).is_ok());
    assert!(Compression::with_level(CompressionType::Gzip, 9).is_ok());
    assert_eq!(
        Compression::with_level(CompressionType::Gzip, 0).unwrap_err().to_string(),
        "Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"
    );
    assert_eq!(
        Compression::with_level(CompressionType::Lz4, 18).unwrap_err().to_string(),
        "Invalid value 18 for configuration compression.lz4.level: Value must be no more than 17"
    );
    assert_eq!(
        Compression::with_level(CompressionType::Zstd, -131_073).unwrap_err().to_string(),
        "Invalid value -131073 for configuration compression.zstd.level: Value must be at least -131072"
    );
    assert!(Compression::with_level(CompressionType::Zstd, -5).is_ok());
    assert_eq!(
        Compression::with_level(CompressionType::Snappy, 1),
        Err(CompressionError::NoLevels { compression_type: CompressionType::Snappy })
    );
}

#[test]
fn none_is_the_header_plus_the_exact_records_section() {
    let records = batch(100, 0);
    let size = compressed_batch_size(CompressionType::None, &records, 7);
    let mut section = Vec::new();
    payload::write_records_section(&mut section, &records, 7);
    assert_eq!(size as usize, 61 + section.len());
    assert_eq!(compressed_batch_size(CompressionType::None, &[], 7), 61);
}

#[test]
fn sizes_are_deterministic_and_depend_on_the_seed() {
    let records = batch(300, 2);
    for codec in CompressionType::ALL {
        let a = compressed_batch_size(codec, &records, 11);
        let mut compressor = BatchCompressor::new(Compression::new(codec));
        // A reused compressor gives the same answer on every call.
        for _ in 0..3 {
            assert_eq!(compressor.compressed_batch_size(&records, 11), a, "{codec}");
        }
        if codec != CompressionType::None {
            assert_ne!(compressed_batch_size(codec, &records, 12), 0);
        }
    }
}

#[test]
fn what_is_compressed_is_the_records_section() {
    let records = batch(1000, 1);
    let mut compressor = BatchCompressor::new(Compression::new(CompressionType::Gzip));
    let size = compressor.compressed_batch_size(&records, 5);
    // The deflate stream in the scratch buffer inflates back to the generated records.
    let mut inflated = Vec::new();
    flate2::read::DeflateDecoder::new(&compressor.block[..]).read_to_end(&mut inflated).unwrap();
    assert_eq!(inflated, compressor.last_records_section());
    assert_eq!(size as usize, 61 + 10 + compressor.block.len() + 8);

    let mut zstd_compressor = BatchCompressor::new(Compression::new(CompressionType::Zstd));
    let zstd_size = zstd_compressor.compressed_batch_size(&records, 5);
    let decoded = zstd::bulk::decompress(&zstd_compressor.block, 1 << 20).unwrap();
    assert_eq!(decoded, zstd_compressor.last_records_section());
    assert_eq!(zstd_size as usize, 61 + zstd_compressor.block.len());
}

/// Realistic ratios for JSON-like event data in a 16 KiB batch. The bounds are loose on
/// purpose: they guard against a generator that became trivially compressible (or random),
/// not against small codec differences.
#[test]
fn ratios_are_those_of_json_event_data() {
    for value_bytes in [100, 1000] {
        let records = batch(value_bytes, 3);
        let plain = compressed_batch_size(CompressionType::None, &records, 99) as f64;
        let ratio = |codec| plain / compressed_batch_size(codec, &records, 99) as f64;
        let (gzip, snappy, lz4, zstd) = (
            ratio(CompressionType::Gzip),
            ratio(CompressionType::Snappy),
            ratio(CompressionType::Lz4),
            ratio(CompressionType::Zstd),
        );
        assert!((2.0..5.0).contains(&gzip), "gzip {gzip:.2} at {value_bytes} B");
        assert!((2.0..5.5).contains(&zstd), "zstd {zstd:.2} at {value_bytes} B");
        assert!((1.3..4.0).contains(&snappy), "snappy {snappy:.2} at {value_bytes} B");
        assert!((1.3..4.0).contains(&lz4), "lz4 {lz4:.2} at {value_bytes} B");
        assert!(gzip > snappy && gzip > lz4, "gzip beats the fast codecs at {value_bytes} B");
    }
}

#[test]
fn non_default_levels_change_the_size() {
    let records = batch(1000, 4);
    let size = |codec, level| {
        BatchCompressor::new(Compression::with_level(codec, level).unwrap()).compressed_batch_size(&records, 1)
    };
    assert!(size(CompressionType::Gzip, 1) > size(CompressionType::Gzip, 9));
    assert!(size(CompressionType::Lz4, 9) > size(CompressionType::Lz4, 12), "level 12 uses LZ4 HC");
    assert!(size(CompressionType::Zstd, 1) > size(CompressionType::Zstd, 19));
}

#[test]
fn lz4_and_snappy_frame_large_batches_in_blocks() {
    // A 1 MiB batch spans 16 LZ4 blocks and 32 snappy blocks; each adds its length prefix.
    let records: Vec<Record> =
        (0..1024).map(|sequence| Record::data(None, ValueId { producer: 0, sequence }, 1024, 0)).collect();
    let plain = compressed_batch_size(CompressionType::None, &records, 3);
    for codec in [CompressionType::Lz4, CompressionType::Snappy] {
        let size = compressed_batch_size(codec, &records, 3);
        assert!(size < plain, "{codec}: {size} vs {plain}");
    }
}

/// Prints compression ratios and rough speed. Not a test of timing (never asserted): run with
/// `cargo test --release --lib compression::tests::report -- --ignored --nocapture`.
#[test]
#[ignore]
fn report_ratios_and_speed() {
    for value_bytes in [100, 1000] {
        let records = batch(value_bytes, 5);
        let plain = compressed_batch_size(CompressionType::None, &records, 1);
        println!("{value_bytes}-byte values, {} records, {plain} bytes uncompressed:", records.len());
        let runs = 200;
        let mut section = Vec::new();
        let start = std::time::Instant::now();
        for seed in 0..runs {
            section.clear();
            payload::write_records_section(&mut section, &records, seed);
            std::hint::black_box(&section);
        }
        println!("  generating the records: {:>8.1} us per batch", start.elapsed().as_secs_f64() * 1e6 / runs as f64);
        for codec in CompressionType::ALL {
            let mut compressor = BatchCompressor::new(Compression::new(codec));
            let size = compressor.compressed_batch_size(&records, 1);
            let start = std::time::Instant::now();
            for seed in 0..runs {
                std::hint::black_box(compressor.compressed_batch_size(&records, seed));
            }
            let per_batch = start.elapsed() / runs as u32;
            println!(
                "  {codec:>6}: {size:>6} bytes, ratio {:.2}, {:>8.1} us per batch",
                plain as f64 / size as f64,
                per_batch.as_secs_f64() * 1e6
            );
        }
    }
}

/// Golden sizes, checked against Java: the records sections of these two batches were written
/// to files and compressed with JDK 17's `GZIPOutputStream` set up as Kafka's `GzipCompression`
/// does (8 KiB deflater buffer, level -1, behind a 16 KiB `BufferedOutputStream`), giving 3899
/// and 4236 bytes: exactly the sizes here, framing included. If the payload generator changes,
/// these numbers change; re-check them against Java before updating them.
#[test]
fn gzip_sizes_match_javas_gzip_output_stream() {
    let mut compressor = BatchCompressor::new(Compression::new(CompressionType::Gzip));
    assert_eq!(compressor.compressed_batch_size(&batch(100, 5), 1), 61 + 3899);
    assert_eq!(compressor.last_records_section().len(), 16_451);
    assert_eq!(compressor.compressed_batch_size(&batch(1000, 5), 1), 61 + 4236);
    assert_eq!(compressor.last_records_section().len(), 16_318);
}
