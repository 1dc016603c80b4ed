//! Producer compression (`compression.type` and `compression.<codec>.level`, KIP-390): how many
//! bytes a record batch takes on the wire and on disk once compressed.
//!
//! Follows `org.apache.kafka.common.record.CompressionType` and the codec wrappers in
//! `org.apache.kafka.common.compress` of Kafka 4.x. For a v2 batch
//! (`MemoryRecordsBuilder`) only the records section is compressed; the 61-byte batch header
//! ([`RECORD_BATCH_OVERHEAD_BYTES`]) stays plain. Each codec writes the stream format Kafka's
//! writer produces, so the framing bytes count too:
//!
//! | `compression.type` | library Kafka uses | stream written | default level |
//! |---|---|---|---|
//! | `none` | - | the records as they are | - |
//! | `gzip` | `java.util.zip` (zlib) | gzip: 10-byte header, raw deflate, 8-byte trailer | -1 (zlib's 6) |
//! | `snappy` | snappy-java `SnappyOutputStream` | 16-byte header, then per 32 KiB block a 4-byte length and the block | - |
//! | `lz4` | lz4-java via `Lz4BlockOutputStream` | LZ4 frame: 7-byte header, per 64 KiB block a 4-byte length and the block (stored raw if it would grow), 4-byte end mark | 9 (= lz4's fast compressor; other levels use LZ4 HC) |
//! | `zstd` | zstd-jni `ZstdOutputStreamNoFinalizer` | one zstd frame, no checksum, no content size | 3 |
//!
//! The codecs here are the same C libraries (zlib, lz4, zstd, built from the sources the crates
//! bundle) and a Rust port of snappy, so a size is within a few bytes of what Kafka writes for
//! the same input. The input is made up by [`payload`] from each record's [`ValueId`], size and
//! key: see there for what the values look like and why.
//!
//! Not modelled: Kafka's compression-ratio *estimate* that the accumulator uses to decide when
//! a batch is full (`CompressionRatioEstimator`), which belongs to the accumulator; record
//! headers; the legacy v0/v1 message formats.
//!
//! [`ValueId`]: crate::protocol::types::ValueId

pub mod payload;

use crate::protocol::log::batch::RECORD_BATCH_OVERHEAD_BYTES;
use crate::protocol::types::Record;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Kafka's `CompressionType`, spelled as `compression.type` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CompressionType {
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd,
}

impl CompressionType {
    pub const ALL: [CompressionType; 5] = [
        CompressionType::None,
        CompressionType::Gzip,
        CompressionType::Snappy,
        CompressionType::Lz4,
        CompressionType::Zstd,
    ];

    /// `CompressionType.forName(name)`: exact, lower-case names only, as Kafka.
    pub fn from_kafka_name(name: &str) -> Result<CompressionType, CompressionError> {
        CompressionType::ALL
            .into_iter()
            .find(|c| c.kafka_name() == name)
            .ok_or_else(|| CompressionError::UnknownName { name: name.to_string() })
    }

    /// `CompressionType.name`.
    pub fn kafka_name(self) -> &'static str {
        match self {
            CompressionType::None => "none",
            CompressionType::Gzip => "gzip",
            CompressionType::Snappy => "snappy",
            CompressionType::Lz4 => "lz4",
            CompressionType::Zstd => "zstd",
        }
    }

    /// `CompressionType.id`: the codec bits in a batch's attributes.
    pub fn id(self) -> u8 {
        self as u8
    }

    /// The config that sets this codec's level, if it has levels.
    pub fn level_config(self) -> Option<&'static str> {
        match self {
            CompressionType::Gzip => Some("compression.gzip.level"),
            CompressionType::Lz4 => Some("compression.lz4.level"),
            CompressionType::Zstd => Some("compression.zstd.level"),
            CompressionType::None | CompressionType::Snappy => None,
        }
    }

    /// `CompressionType.defaultLevel()`: gzip -1 (`Deflater.DEFAULT_COMPRESSION`), lz4 9,
    /// zstd 3 (`ZSTD_CLEVEL_DEFAULT`).
    pub fn default_level(self) -> Option<i32> {
        match self {
            CompressionType::Gzip => Some(GZIP_DEFAULT_LEVEL),
            CompressionType::Lz4 => Some(LZ4_DEFAULT_LEVEL),
            CompressionType::Zstd => Some(3),
            CompressionType::None | CompressionType::Snappy => None,
        }
    }

    /// `minLevel()..=maxLevel()`: gzip 1..=9 (and -1), lz4 1..=17, zstd -131072..=22.
    pub fn level_range(self) -> Option<(i32, i32)> {
        match self {
            CompressionType::Gzip => Some((1, 9)),
            CompressionType::Lz4 => Some((1, 17)),
            CompressionType::Zstd => Some((-131_072, 22)),
            CompressionType::None | CompressionType::Snappy => None,
        }
    }
}

impl fmt::Display for CompressionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kafka_name())
    }
}

/// `Deflater.DEFAULT_COMPRESSION`, which zlib maps to level 6.
const GZIP_DEFAULT_LEVEL: i32 = -1;
/// lz4-java's default level; Kafka's `Lz4BlockOutputStream` uses the fast compressor for it.
const LZ4_DEFAULT_LEVEL: i32 = 9;

/// A bad compression config.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompressionError {
    /// `CompressionType.forName`'s `IllegalArgumentException`.
    #[error("Unknown compression name: {name}")]
    UnknownName { name: String },
    /// The level validators of `CompressionType` (`ConfigException` texts).
    #[error("Invalid value {level} for configuration {config}: {reason}")]
    InvalidLevel { config: &'static str, level: i32, reason: String },
    #[error("compression.type {compression_type} has no compression levels")]
    NoLevels { compression_type: CompressionType },
}

/// Kafka's `Compression`: a codec and its level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compression {
    pub compression_type: CompressionType,
    /// The codec's level (`None` for `none` and `snappy`, which have none).
    pub level: Option<i32>,
}

impl Compression {
    /// The codec at Kafka's default level.
    pub fn new(compression_type: CompressionType) -> Compression {
        Compression { compression_type, level: compression_type.default_level() }
    }

    /// The codec at `level`, validated as `compression.<codec>.level` is.
    pub fn with_level(compression_type: CompressionType, level: i32) -> Result<Compression, CompressionError> {
        let (Some(config), Some((min, max))) = (compression_type.level_config(), compression_type.level_range()) else {
            return Err(CompressionError::NoLevels { compression_type });
        };
        let reason = match compression_type {
            CompressionType::Gzip if (level < min && level != GZIP_DEFAULT_LEVEL) || level > max => {
                Some(format!("Value must be between {min} and {max} or equal to {GZIP_DEFAULT_LEVEL}"))
            }
            CompressionType::Gzip => None,
            _ if level < min => Some(format!("Value must be at least {min}")),
            _ if level > max => Some(format!("Value must be no more than {max}")),
            _ => None,
        };
        match reason {
            Some(reason) => Err(CompressionError::InvalidLevel { config, level, reason }),
            None => Ok(Compression { compression_type, level: Some(level) }),
        }
    }
}

/// Computes compressed batch sizes, keeping its buffers and codec contexts between calls (a
/// simulation compresses every batch it produces; the codecs' state tables are the costly
/// part to set up).
pub struct BatchCompressor {
    compression: Compression,
    /// The uncompressed records section of the current batch.
    records: Vec<u8>,
    /// Codec output for the current block.
    block: Vec<u8>,
    deflate: Option<flate2::Compress>,
    snappy: Option<snap::raw::Encoder>,
    zstd: Option<zstd::bulk::Compressor<'static>>,
}

impl fmt::Debug for BatchCompressor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchCompressor").field("compression", &self.compression).finish_non_exhaustive()
    }
}

/// `SnappyOutputStream.DEFAULT_BLOCK_SIZE`.
const SNAPPY_BLOCK_BYTES: usize = 32 * 1024;
/// snappy-java's stream header: 8 magic bytes, a version and a compatible version (ints).
const SNAPPY_HEADER_BYTES: usize = 16;
/// `Lz4BlockOutputStream.BLOCKSIZE_64KB`.
const LZ4_BLOCK_BYTES: usize = 64 * 1024;
/// LZ4 frame magic (4), FLG (1), BD (1), header checksum (1).
const LZ4_FRAME_HEADER_BYTES: usize = 7;
/// The zero block length that ends an LZ4 frame.
const LZ4_END_MARK_BYTES: usize = 4;
/// gzip member header (no file name, as `GZIPOutputStream` writes it).
const GZIP_HEADER_BYTES: usize = 10;
/// gzip trailer: CRC-32 and input size.
const GZIP_TRAILER_BYTES: usize = 8;

impl BatchCompressor {
    pub fn new(compression: Compression) -> BatchCompressor {
        BatchCompressor { compression, records: Vec::new(), block: Vec::new(), deflate: None, snappy: None, zstd: None }
    }

    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// The size in bytes of a v2 batch of `records` as the producer would send it: the 61-byte
    /// header plus the records section, compressed with this compressor's codec. The records'
    /// payloads are generated from `value_seed` (see [`payload`]); the same inputs always give
    /// the same size.
    pub fn compressed_batch_size(&mut self, records: &[Record], value_seed: u64) -> u32 {
        let records_bytes = match self.compression.compression_type {
            // Nothing to compress: no need to generate the values.
            CompressionType::None => payload::records_section_size(records) as usize,
            codec => {
                self.records.clear();
                payload::write_records_section(&mut self.records, records, value_seed);
                match codec {
                    CompressionType::None => unreachable!("handled above"),
                    CompressionType::Gzip => self.gzip_size(),
                    CompressionType::Snappy => self.snappy_size(),
                    CompressionType::Lz4 => self.lz4_size(),
                    CompressionType::Zstd => self.zstd_size(),
                }
            }
        };
        RECORD_BATCH_OVERHEAD_BYTES + u32::try_from(records_bytes).expect("batch larger than 4 GiB")
    }

    /// The uncompressed records section the last compressed call generated (for tests, and for
    /// showing students what was compressed).
    pub fn last_records_section(&self) -> &[u8] {
        &self.records
    }

    fn gzip_size(&mut self) -> usize {
        // zlib maps -1 to 6; flate2 takes only 0..=9.
        let level = match self.compression.level {
            Some(GZIP_DEFAULT_LEVEL) | None => 6,
            Some(level) => level as u32,
        };
        let deflate = self.deflate.get_or_insert_with(|| flate2::Compress::new(flate2::Compression::new(level), false));
        deflate.reset();
        self.block.clear();
        self.block.reserve(self.records.len() / 2 + 64);
        loop {
            let consumed = deflate.total_in() as usize;
            let status = deflate
                .compress_vec(&self.records[consumed..], &mut self.block, flate2::FlushCompress::Finish)
                .expect("deflate of an in-memory buffer cannot fail");
            if status == flate2::Status::StreamEnd {
                break;
            }
            // Out of output space: grow and go on.
            self.block.reserve(self.block.capacity().max(4096));
        }
        GZIP_HEADER_BYTES + deflate.total_out() as usize + GZIP_TRAILER_BYTES
    }

    fn snappy_size(&mut self) -> usize {
        let encoder = self.snappy.get_or_insert_with(snap::raw::Encoder::new);
        self.block.resize(snap::raw::max_compress_len(SNAPPY_BLOCK_BYTES), 0);
        let mut total = SNAPPY_HEADER_BYTES;
        for chunk in self.records.chunks(SNAPPY_BLOCK_BYTES) {
            let compressed =
                encoder.compress(chunk, &mut self.block).expect("the output buffer holds max_compress_len bytes");
            total += 4 + compressed;
        }
        total
    }

    fn lz4_size(&mut self) -> usize {
        let mode = match self.compression.level {
            Some(LZ4_DEFAULT_LEVEL) | None => lz4::block::CompressionMode::DEFAULT,
            Some(level) => lz4::block::CompressionMode::HIGHCOMPRESSION(level),
        };
        let bound = lz4::block::compress_bound(LZ4_BLOCK_BYTES).expect("64 KiB is within lz4's limit");
        self.block.resize(bound, 0);
        let mut total = LZ4_FRAME_HEADER_BYTES;
        for chunk in self.records.chunks(LZ4_BLOCK_BYTES) {
            let compressed = lz4::block::compress_to_buffer(chunk, Some(mode), false, &mut self.block)
                .expect("the output buffer holds compress_bound bytes");
            // Lz4BlockOutputStream stores a block raw when compressing does not shrink it.
            total += 4 + compressed.min(chunk.len());
        }
        total + LZ4_END_MARK_BYTES
    }

    fn zstd_size(&mut self) -> usize {
        let level = self.compression.level.unwrap_or(3);
        let compressor = self.zstd.get_or_insert_with(|| {
            let mut compressor = zstd::bulk::Compressor::new(level).expect("zstd accepts every level in Kafka's range");
            // zstd-jni's output stream does not know the size in advance, so its frame header
            // carries no content size; it writes no checksum either.
            compressor
                .set_parameter(zstd::zstd_safe::CParameter::ContentSizeFlag(false))
                .expect("a valid zstd parameter");
            compressor
        });
        self.block.clear();
        self.block.reserve(zstd::zstd_safe::compress_bound(self.records.len()));
        compressor
            .compress_to_buffer(&self.records, &mut self.block)
            .expect("the output buffer holds compress_bound bytes")
    }
}

/// [`BatchCompressor::compressed_batch_size`] with a one-off compressor at Kafka's default
/// level for `codec`. A producer should keep a [`BatchCompressor`] instead.
pub fn compressed_batch_size(codec: CompressionType, records: &[Record], value_seed: u64) -> u32 {
    BatchCompressor::new(Compression::new(codec)).compressed_batch_size(records, value_seed)
}

#[cfg(test)]
mod tests;
