//! Kafka's protocol error codes, as data carried in responses.
//!
//! Codes, names and retriability follow `org.apache.kafka.common.protocol.Errors`: a retriable
//! error is one whose exception extends `RetriableException`, which is what makes the Java
//! clients retry it.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! kafka_errors {
    ($( $variant:ident = $code:literal, $name:literal, $retriable:literal; )*) => {
        /// A Kafka error code. `None` is Kafka's `NONE` (0): success.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum ErrorCode {
            $(
                #[serde(rename = $name)]
                $variant,
            )*
        }

        impl ErrorCode {
            /// The numeric code on the wire.
            pub fn code(self) -> i16 {
                match self { $( ErrorCode::$variant => $code, )* }
            }

            /// Kafka's upper-case name, as logs and tools print it.
            pub fn name(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }

            /// Whether the Java clients retry this error.
            pub fn is_retriable(self) -> bool {
                match self { $( ErrorCode::$variant => $retriable, )* }
            }

            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];
        }
    };
}

kafka_errors! {
    None = 0, "NONE", false;
    OffsetOutOfRange = 1, "OFFSET_OUT_OF_RANGE", false;
    CorruptMessage = 2, "CORRUPT_MESSAGE", true;
    UnknownTopicOrPartition = 3, "UNKNOWN_TOPIC_OR_PARTITION", true;
    LeaderNotAvailable = 5, "LEADER_NOT_AVAILABLE", true;
    NotLeaderOrFollower = 6, "NOT_LEADER_OR_FOLLOWER", true;
    RequestTimedOut = 7, "REQUEST_TIMED_OUT", true;
    MessageTooLarge = 10, "MESSAGE_TOO_LARGE", false;
    NetworkException = 13, "NETWORK_EXCEPTION", true;
    CoordinatorLoadInProgress = 14, "COORDINATOR_LOAD_IN_PROGRESS", true;
    CoordinatorNotAvailable = 15, "COORDINATOR_NOT_AVAILABLE", true;
    NotCoordinator = 16, "NOT_COORDINATOR", true;
    RecordListTooLarge = 18, "RECORD_LIST_TOO_LARGE", false;
    NotEnoughReplicas = 19, "NOT_ENOUGH_REPLICAS", true;
    NotEnoughReplicasAfterAppend = 20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true;
    IllegalGeneration = 22, "ILLEGAL_GENERATION", false;
    InconsistentGroupProtocol = 23, "INCONSISTENT_GROUP_PROTOCOL", false;
    UnknownMemberId = 25, "UNKNOWN_MEMBER_ID", false;
    InvalidSessionTimeout = 26, "INVALID_SESSION_TIMEOUT", false;
    RebalanceInProgress = 27, "REBALANCE_IN_PROGRESS", false;
    InvalidReplicationFactor = 38, "INVALID_REPLICATION_FACTOR", false;
    OutOfOrderSequenceNumber = 45, "OUT_OF_ORDER_SEQUENCE_NUMBER", false;
    DuplicateSequenceNumber = 46, "DUPLICATE_SEQUENCE_NUMBER", false;
    InvalidProducerEpoch = 47, "INVALID_PRODUCER_EPOCH", false;
    InvalidTxnState = 48, "INVALID_TXN_STATE", false;
    InvalidProducerIdMapping = 49, "INVALID_PRODUCER_ID_MAPPING", false;
    InvalidTransactionTimeout = 50, "INVALID_TRANSACTION_TIMEOUT", false;
    ConcurrentTransactions = 51, "CONCURRENT_TRANSACTIONS", true;
    TransactionCoordinatorFenced = 52, "TRANSACTION_COORDINATOR_FENCED", false;
    KafkaStorageError = 56, "KAFKA_STORAGE_ERROR", true;
    UnknownProducerId = 59, "UNKNOWN_PRODUCER_ID", false;
    FencedLeaderEpoch = 74, "FENCED_LEADER_EPOCH", true;
    UnknownLeaderEpoch = 75, "UNKNOWN_LEADER_EPOCH", true;
    MemberIdRequired = 79, "MEMBER_ID_REQUIRED", false;
    EligibleLeadersNotAvailable = 83, "ELIGIBLE_LEADERS_NOT_AVAILABLE", true;
    ElectionNotNeeded = 84, "ELECTION_NOT_NEEDED", false;
    FencedInstanceId = 82, "FENCED_INSTANCE_ID", false;
    OffsetNotAvailable = 78, "OFFSET_NOT_AVAILABLE", true;
    PreferredLeaderNotAvailable = 80, "PREFERRED_LEADER_NOT_AVAILABLE", true;
    UnstableOffsetCommit = 88, "UNSTABLE_OFFSET_COMMIT", true;
    ProducerFenced = 90, "PRODUCER_FENCED", false;
    InvalidUpdateVersion = 95, "INVALID_UPDATE_VERSION", false;
    StaleBrokerEpoch = 77, "STALE_BROKER_EPOCH", false;
    IneligibleReplica = 107, "INELIGIBLE_REPLICA", false;
    NewLeaderElected = 108, "NEW_LEADER_ELECTED", false;
    DuplicateBrokerRegistration = 101, "DUPLICATE_BROKER_REGISTRATION", false;
    BrokerIdNotRegistered = 102, "BROKER_ID_NOT_REGISTERED", false;
    InvalidTopicException = 17, "INVALID_TOPIC_EXCEPTION", false;
    InvalidRequest = 42, "INVALID_REQUEST", false;
}

impl ErrorCode {
    pub fn is_none(self) -> bool {
        self == ErrorCode::None
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_kafka_errors_java() {
        assert_eq!(ErrorCode::NotLeaderOrFollower.code(), 6);
        assert_eq!(ErrorCode::NotEnoughReplicas.code(), 19);
        assert_eq!(ErrorCode::NotEnoughReplicasAfterAppend.code(), 20);
        assert_eq!(ErrorCode::FencedLeaderEpoch.code(), 74);
        assert_eq!(ErrorCode::ProducerFenced.code(), 90);
        assert!(ErrorCode::NotEnoughReplicas.is_retriable());
        assert!(!ErrorCode::OutOfOrderSequenceNumber.is_retriable());
    }

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<i16> = ErrorCode::ALL.iter().map(|e| e.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
    }
}
