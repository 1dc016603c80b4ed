//! From the file as written to a validated `Scenario`. The first problem found is reported with
//! the position of the value (or key) at fault.

use super::error::ScenarioError;
use super::model::*;
use super::nemesis::{Nemesis, NemesisFamily, NEMESIS_KINDS};
use super::raw::*;
use crate::check::names::is_known_check;
use crate::protocol::config::broker::{BrokerConfig, TopicConfig, BROKER_CONFIG, TOPIC_CONFIG};
use crate::protocol::config::def::{ConfigDef, RawValue, ResolvedConfig};
use crate::protocol::consumer::config::{ConsumerConfig, CONSUMER_CONFIG};
use crate::protocol::controller::TopicSpec;
use crate::protocol::producer::config::{ProducerConfig, PRODUCER_CONFIG};
use crate::protocol::producer::partitioner::{Partitioner, CUSTOM_PARTITIONER_CLASS};
use crate::protocol::types::*;
use crate::protocol::workload::consumer_app::{CommitEvery, CommitMode, Delivery};
use crate::protocol::workload::keys::KeyDistribution;
use crate::protocol::workload::producer_app::ProducerWorkload;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

/// Parses and validates scenario text. `file` names it in errors.
pub fn parse_scenario(file: &str, text: &str) -> Result<(RawScenario, Scenario)> {
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ScenarioError::new(file, text, span, e.message().to_string())
    })?;
    let scenario = Validator { file, text }.validate(&raw)?;
    Ok((raw, scenario))
}

/// Validates a scenario that was deserialized as part of a larger document (a lab's embedded
/// `[scenario]` table): its spans point into `text`, the whole document, so errors still name the
/// right line and column.
pub fn validate_embedded(file: &str, text: &str, raw: &RawScenario) -> Result<Scenario> {
    Validator { file, text }.validate(raw)
}

struct Validator<'a> {
    file: &'a str,
    text: &'a str,
}

type Result<T> = std::result::Result<T, ScenarioError>;

impl Validator<'_> {
    fn error<T>(&self, span: Range<usize>, message: impl Into<String>) -> Result<T> {
        Err(ScenarioError::new(self.file, self.text, span, message))
    }

    fn validate(&self, raw: &RawScenario) -> Result<Scenario> {
        if raw.name.get_ref().trim().is_empty() {
            return self.error(raw.name.span(), "the scenario name must not be empty");
        }
        if *raw.duration_ms.get_ref() == 0 {
            return self.error(raw.duration_ms.span(), "duration_ms must be greater than 0");
        }
        let brokers = *raw.cluster.brokers.get_ref();
        if !(1..=10_000).contains(&brokers) {
            return self.error(raw.cluster.brokers.span(), "brokers must be between 1 and 10000");
        }
        let controllers = raw.cluster.controllers.as_ref().map_or(1, |c| *c.get_ref());
        if controllers != 1 {
            let span = raw.cluster.controllers.as_ref().map(|c| c.span()).unwrap_or(0..0);
            return self
                .error(span, "controllers must be 1: a KRaft controller quorum with failover is not modelled yet");
        }
        let broker_resolved = self.resolve(&BROKER_CONFIG, &raw.cluster.config)?;
        let broker_config = BrokerConfig::from_resolved(&broker_resolved);
        let network = self.network(raw.network.as_ref())?;
        let topics = self.topics(raw, brokers, &broker_config)?;
        let topic_names: BTreeSet<&str> = topics.iter().map(|t| &*t.name).collect();

        let mut node_names: BTreeSet<String> = (1..=brokers).map(Scenario::broker_name).collect();
        node_names.insert(Scenario::controller_name(1));
        let producers = self.producers(raw, &topic_names, &mut node_names)?;
        let consumer_groups = self.consumer_groups(raw, &topic_names, &mut node_names)?;
        let settle_ms = raw.settle_ms.as_ref().map_or(DEFAULT_SETTLE_MS, |s| *s.get_ref());
        let mut scenario = Scenario {
            name: raw.name.get_ref().clone(),
            description: raw.description.clone().unwrap_or_default(),
            seed: raw.seed,
            duration_ms: *raw.duration_ms.get_ref(),
            settle_ms,
            brokers,
            controllers,
            broker_config,
            broker_overrides: broker_resolved.explicit_entries(),
            network,
            topics,
            producers,
            consumer_groups,
            faults: Vec::new(),
            nemesis: None,
            checks: Vec::new(),
        };
        scenario.faults = self.faults(raw, &scenario)?;
        scenario.nemesis = raw.nemesis.as_ref().map(|n| self.nemesis(n, &scenario)).transpose()?;
        scenario.checks = self.checks(raw)?;
        Ok(scenario)
    }

    fn resolve(&self, def: &ConfigDef, map: &ConfigMap) -> Result<ResolvedConfig> {
        let mut entries = BTreeMap::new();
        for (key, value) in map {
            let raw = self.raw_value(value)?;
            if let Err(e) = def.parse(key.get_ref(), &raw) {
                let span = if def.key(key.get_ref()).is_none() { key.span() } else { value.span() };
                return self.error(span, e.message);
            }
            entries.insert(key.get_ref().clone(), raw);
        }
        def.resolve(&entries).map_err(|e| ScenarioError::new(self.file, self.text, 0..0, e.message))
    }

    fn raw_value(&self, value: &Spanned<toml::Value>) -> Result<RawValue> {
        fn convert(v: &toml::Value) -> Option<RawValue> {
            Some(match v {
                toml::Value::String(s) => RawValue::String(s.clone()),
                toml::Value::Integer(n) => RawValue::Integer(*n),
                toml::Value::Float(x) => RawValue::Float(*x),
                toml::Value::Boolean(b) => RawValue::Boolean(*b),
                toml::Value::Array(items) => RawValue::List(items.iter().map(convert).collect::<Option<_>>()?),
                _ => return None,
            })
        }
        match convert(value.get_ref()) {
            Some(raw) => Ok(raw),
            None => self.error(value.span(), "a config value must be a string, number, boolean or list"),
        }
    }

    fn network(&self, raw: Option<&RawNetwork>) -> Result<NetworkSpec> {
        let mut network = NetworkSpec::default();
        let Some(raw) = raw else { return Ok(network) };
        if let Some(latency) = &raw.latency_ms {
            network.latency_ms = self.latency(latency)?;
        }
        if let Some(loss) = &raw.packet_loss {
            network.packet_loss = self.loss(loss)?;
        }
        if let Some(close) = &raw.client_close {
            network.client_close_delivers_sent = match close.get_ref().as_str() {
                "reset" => false,
                "fin" => true,
                other => {
                    return self
                        .error(close.span(), format!("client_close '{other}' is unknown: use \"reset\" or \"fin\""))
                }
            };
        }
        Ok(network)
    }

    fn latency(&self, latency: &Spanned<[u64; 2]>) -> Result<(SimTime, SimTime)> {
        let [a, b] = *latency.get_ref();
        if a > b {
            return self
                .error(latency.span(), format!("latency_ms = [{a}, {b}]: the first bound must not exceed the second"));
        }
        Ok((a, b))
    }

    fn loss(&self, loss: &Spanned<f64>) -> Result<f64> {
        let p = *loss.get_ref();
        if !(0.0..1.0).contains(&p) {
            return self.error(loss.span(), format!("packet_loss = {p}: must be at least 0 and below 1"));
        }
        Ok(p)
    }

    fn topics(&self, raw: &RawScenario, brokers: u32, broker_config: &BrokerConfig) -> Result<Vec<TopicSpec>> {
        let mut seen = BTreeSet::new();
        let mut topics = Vec::new();
        for t in &raw.topics {
            let name = t.name.get_ref();
            let legal = !name.is_empty()
                && name.len() <= 249
                && name != "."
                && name != ".."
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-');
            if !legal || name.starts_with("__") {
                return self.error(t.name.span(), format!("Topic name \"{name}\" is illegal: it may contain only ASCII alphanumerics, '.', '_' and '-', and at most 249 characters"));
            }
            if !seen.insert(name.clone()) {
                return self.error(t.name.span(), format!("topic '{name}' is declared twice"));
            }
            let partitions = *t.partitions.get_ref();
            if !(1..=100_000).contains(&partitions) {
                return self.error(t.partitions.span(), "partitions must be between 1 and 100000");
            }
            let rf = *t.replication_factor.get_ref();
            if rf < 1 {
                return self.error(t.replication_factor.span(), "Replication factor must be larger than 0.");
            }
            if rf as u32 > brokers {
                return self.error(
                    t.replication_factor.span(),
                    format!("Unable to replicate the partition {rf} time(s): The target replication factor of {rf} cannot be reached because only {brokers} broker(s) are registered."),
                );
            }
            let resolved = self.resolve(&TOPIC_CONFIG, &t.config)?;
            topics.push(TopicSpec {
                name: Arc::from(name.as_str()),
                partitions,
                replication_factor: rf,
                config: TopicConfig::effective(broker_config, &resolved),
            });
        }
        Ok(topics)
    }

    fn claim_name(&self, names: &mut BTreeSet<String>, name: &Spanned<String>, what: &str) -> Result<()> {
        if name.get_ref().trim().is_empty() {
            return self.error(name.span(), format!("the {what} name must not be empty"));
        }
        if !names.insert(name.get_ref().clone()) {
            return self.error(
                name.span(),
                format!("the {what} name '{}' is already the name of another node", name.get_ref()),
            );
        }
        Ok(())
    }

    fn producers(
        &self,
        raw: &RawScenario,
        topics: &BTreeSet<&str>,
        names: &mut BTreeSet<String>,
    ) -> Result<Vec<ProducerSpec>> {
        let mut producers = Vec::new();
        for p in &raw.producers {
            self.claim_name(names, &p.name, "producer")?;
            if !topics.contains(p.topic.get_ref().as_str()) {
                return self.error(
                    p.topic.span(),
                    format!(
                        "producer '{}' writes to topic '{}', which the scenario does not declare",
                        p.name.get_ref(),
                        p.topic.get_ref()
                    ),
                );
            }
            let rate = *p.messages_per_sec.get_ref();
            if !(0.0..=10_000_000.0).contains(&rate) {
                return self.error(p.messages_per_sec.span(), "messages_per_sec must be between 0 and 10000000");
            }
            let key_distribution = match p.key_distribution.as_ref().map(|d| (d.get_ref().as_str(), d.span())) {
                None | Some(("uniform", _)) => KeyDistribution::Uniform,
                Some(("zipf", _)) => {
                    let exponent = p.zipf_exponent.as_ref().map_or(1.0, |e| *e.get_ref());
                    if exponent <= 0.0 {
                        let span = p.zipf_exponent.as_ref().map(|e| e.span()).unwrap_or(0..0);
                        return self.error(span, "zipf_exponent must be greater than 0");
                    }
                    KeyDistribution::Zipf { exponent }
                }
                Some((other, span)) => {
                    return self
                        .error(span, format!("key_distribution '{other}' is unknown: use \"uniform\" or \"zipf\""))
                }
            };
            let resolved = self.resolve(&PRODUCER_CONFIG, &p.config)?;
            let mut config = match ProducerConfig::from_resolved(&resolved) {
                Ok(config) => config,
                Err(e) => {
                    let span = p
                        .config
                        .iter()
                        .find(|(k, _)| k.get_ref() == &e.key)
                        .map(|(k, v)| k.span().start..v.span().end)
                        .unwrap_or(p.name.span());
                    return self.error(span, e.message);
                }
            };
            self.custom_partitioner(raw, p, &mut config)?;
            let mut all_topics: Vec<TopicName> = vec![Arc::from(p.topic.get_ref().as_str())];
            for t in self.declared_topics(topics, &p.name, "writes to", &p.topics)? {
                if !all_topics.contains(&t) {
                    all_topics.push(t);
                }
            }
            let read_topics = self.declared_topics(topics, &p.name, "reads", &p.read_topics)?;
            let transactional = config.transactional_id.is_some();
            for (field, span) in [
                ("transaction_records", p.transaction_records.as_ref().map(|v| v.span())),
                ("abort_ratio", p.abort_ratio.as_ref().map(|v| v.span())),
                ("read_topics", p.read_topics.first().map(|t| t.span())),
            ] {
                if let (Some(span), false) = (span, transactional) {
                    return self.error(
                        span,
                        format!(
                            "{field} needs a transactional producer: set \"transactional.id\" in [producers.config]"
                        ),
                    );
                }
            }
            let transaction_records = p.transaction_records.as_ref().map_or(10, |v| *v.get_ref());
            if transaction_records == 0 {
                let span = p.transaction_records.as_ref().map(|v| v.span()).unwrap_or(p.name.span());
                return self.error(span, "transaction_records must be at least 1");
            }
            let abort_ratio = p.abort_ratio.as_ref().map_or(0.0, |v| *v.get_ref());
            if !(0.0..=1.0).contains(&abort_ratio) {
                let span = p.abort_ratio.as_ref().map(|v| v.span()).unwrap_or(p.name.span());
                return self.error(span, "abort_ratio must be between 0 and 1");
            }
            producers.push(ProducerSpec {
                name: p.name.get_ref().clone(),
                workload: ProducerWorkload {
                    topic: Arc::from(p.topic.get_ref().as_str()),
                    messages_per_sec: rate,
                    keys: if p.key_names.is_empty() { p.keys } else { p.key_names.len() as u64 },
                    key_names: p.key_names.clone(),
                    key_distribution,
                    value_bytes: p.value_bytes,
                    topics: all_topics,
                    transaction_records,
                    abort_ratio,
                    read_topics,
                    start_ms: p.start_ms.unwrap_or(0),
                },
                config,
            });
        }
        Ok(producers)
    }

    /// The topics a producer names besides `topic` (`verb`: what it does with them), each one
    /// the scenario declares, without repeats.
    fn declared_topics(
        &self,
        declared: &BTreeSet<&str>,
        producer: &Spanned<String>,
        verb: &str,
        named: &[Spanned<String>],
    ) -> Result<Vec<TopicName>> {
        let mut result: Vec<TopicName> = Vec::new();
        for t in named {
            if !declared.contains(t.get_ref().as_str()) {
                return self.error(
                    t.span(),
                    format!(
                        "producer '{}' {verb} topic '{}', which the scenario does not declare",
                        producer.get_ref(),
                        t.get_ref()
                    ),
                );
            }
            if !result.iter().any(|x| **x == **t.get_ref()) {
                result.push(Arc::from(t.get_ref().as_str()));
            }
        }
        Ok(result)
    }

    /// Attaches a `[producers.partitioner]` table's rules to the config and checks them, and the
    /// class they go with, against the topic the producer writes to.
    fn custom_partitioner(&self, raw: &RawScenario, p: &RawProducer, config: &mut ProducerConfig) -> Result<()> {
        let class_span = || {
            p.config
                .iter()
                .find(|(k, _)| k.get_ref() == "partitioner.class")
                .map(|(k, v)| k.span().start..v.span().end)
                .unwrap_or(p.name.span())
        };
        let Some(rules) = &p.partitioner else {
            if config.partitioner.partitioner_class.as_deref() == Some(CUSTOM_PARTITIONER_CLASS) {
                return self.error(
                    class_span(),
                    "partitioner.class = \"custom\" needs the rules in a [producers.partitioner] table",
                );
            }
            return Ok(());
        };
        config.partitioner.custom_rules = Some(rules.get_ref().clone());
        if let Err(e) = Partitioner::from_config(&config.partitioner) {
            let span = if p.config.iter().any(|(k, _)| k.get_ref() == "partitioner.class") {
                class_span()
            } else {
                rules.span()
            };
            return self.error(span, e.to_string());
        }
        let num_partitions = raw
            .topics
            .iter()
            .find(|t| t.name.get_ref() == p.topic.get_ref())
            .map(|t| *t.partitions.get_ref())
            .expect("the topic was checked to exist");
        if let Err(e) = rules.get_ref().validate_for_topic(num_partitions) {
            return self.error(rules.span(), e.to_string());
        }
        if p.keys == 0 && p.key_names.is_empty() {
            return self.error(
                rules.span(),
                format!(
                    "producer '{}' has a custom partitioner, which needs keys (it rejects records without one): \
                     set keys or key_names",
                    p.name.get_ref()
                ),
            );
        }
        Ok(())
    }

    fn consumer_groups(
        &self,
        raw: &RawScenario,
        topics: &BTreeSet<&str>,
        names: &mut BTreeSet<String>,
    ) -> Result<Vec<ConsumerGroupSpec>> {
        let mut groups = Vec::new();
        let mut group_ids = BTreeSet::new();
        for g in &raw.consumer_groups {
            if !group_ids.insert(g.group.get_ref().clone()) {
                return self.error(g.group.span(), format!("consumer group '{}' is declared twice", g.group.get_ref()));
            }
            let members = *g.members.get_ref();
            if !(1..=10_000).contains(&members) {
                return self.error(g.members.span(), "members must be between 1 and 10000");
            }
            for i in 0..members {
                let member = format!("{}-{}", g.group.get_ref(), i + 1);
                if !names.insert(member.clone()) {
                    return self
                        .error(g.group.span(), format!("member name '{member}' is already the name of another node"));
                }
            }
            if g.topics.is_empty() {
                return self.error(g.group.span(), "a consumer group must read at least one topic");
            }
            for t in &g.topics {
                if !topics.contains(t.get_ref().as_str()) {
                    return self.error(
                        t.span(),
                        format!(
                            "consumer group '{}' reads topic '{}', which the scenario does not declare",
                            g.group.get_ref(),
                            t.get_ref()
                        ),
                    );
                }
            }
            let resolved = self.resolve(&CONSUMER_CONFIG, &g.config)?;
            let config = ConsumerConfig::from_resolved(&resolved).map_err(|e| {
                let span =
                    g.config.iter().find(|(k, _)| k.get_ref() == &e.key).map(|(k, v)| k.span().start..v.span().end);
                ScenarioError::new(self.file, self.text, span.unwrap_or(g.group.span()), e.message)
            })?;
            let member_start_ms = match &g.member_start_ms {
                None => vec![0; members as usize],
                Some(starts) if starts.get_ref().len() != members as usize => {
                    return self.error(
                        starts.span(),
                        format!("member_start_ms lists {} time(s) for {members} member(s)", starts.get_ref().len()),
                    );
                }
                Some(starts) => starts.get_ref().clone(),
            };
            let subscribe = self.choice(&g.mode, &[("subscribe", true), ("assign", false)], true)?;
            let commit = self.choice(
                &g.commit,
                &[("auto", CommitMode::Auto), ("sync", CommitMode::Sync), ("async", CommitMode::Async)],
                CommitMode::Auto,
            )?;
            let commit_every = self.choice(
                &g.commit_every,
                &[("batch", CommitEvery::Batch), ("record", CommitEvery::Record)],
                CommitEvery::Batch,
            )?;
            let delivery = self.choice(
                &g.delivery,
                &[("at-least-once", Delivery::AtLeastOnce), ("at-most-once", Delivery::AtMostOnce)],
                Delivery::AtLeastOnce,
            )?;
            if !subscribe && commit != CommitMode::Auto {
                let span = g.commit.as_ref().map(|c| c.span()).unwrap_or(g.group.span());
                return self.error(
                    span,
                    "manual commits need mode = \"subscribe\": an assign-mode reader has no group to commit to",
                );
            }
            groups.push(ConsumerGroupSpec {
                group: g.group.get_ref().clone(),
                topics: g.topics.iter().map(|t| Arc::from(t.get_ref().as_str())).collect(),
                members,
                processing_ms_per_record: g.processing_ms_per_record,
                member_start_ms,
                subscribe,
                commit,
                commit_every,
                delivery,
                config,
            });
        }
        Ok(groups)
    }

    /// One of a fixed set of words, or `default` when absent.
    fn choice<T: Copy>(&self, value: &Option<Spanned<String>>, choices: &[(&str, T)], default: T) -> Result<T> {
        let Some(value) = value else { return Ok(default) };
        match choices.iter().find(|(word, _)| *word == value.get_ref()) {
            Some((_, choice)) => Ok(*choice),
            None => {
                let words: Vec<String> = choices.iter().map(|(w, _)| format!("\"{w}\"")).collect();
                self.error(value.span(), format!("'{}' is not one of {}", value.get_ref(), words.join(", ")))
            }
        }
    }

    fn faults(&self, raw: &RawScenario, scenario: &Scenario) -> Result<Vec<Fault>> {
        let node_names: BTreeSet<String> = scenario.nodes().into_iter().map(|(_, n)| n).collect();
        let consumer_members: BTreeSet<String> =
            scenario.consumer_groups.iter().flat_map(|g| (0..g.members).map(|i| g.member_name(i))).collect();
        let mut faults = Vec::new();
        let mut previous_at = 0;
        for f in &raw.faults {
            let at_ms = *f.at_ms.get_ref();
            if at_ms < previous_at {
                return self.error(
                    f.at_ms.span(),
                    format!(
                        "at_ms = {at_ms} comes before the previous fault's {previous_at}: list faults in time order"
                    ),
                );
            }
            if at_ms > scenario.duration_ms {
                return self.error(
                    f.at_ms.span(),
                    format!("at_ms = {at_ms} is after the workload ends (duration_ms = {})", scenario.duration_ms),
                );
            }
            previous_at = at_ms;
            let kind = f.kind.get_ref().as_str();
            let action = match kind {
                "crash" => {
                    self.only_fields(f, &["node", "lose_unflushed"])?;
                    FaultAction::Crash {
                        node: self.selector(f, scenario, &node_names)?,
                        lose_unflushed: f.lose_unflushed.as_ref().is_some_and(|l| *l.get_ref()),
                    }
                }
                "restart" | "pause" | "resume" => {
                    self.only_fields(f, &["node"])?;
                    let node = self.selector(f, scenario, &node_names)?;
                    match kind {
                        "restart" => FaultAction::Restart { node },
                        "pause" => FaultAction::Pause { node },
                        _ => FaultAction::Resume { node },
                    }
                }
                "partition" => {
                    self.only_fields(f, &["groups"])?;
                    let Some(groups) = &f.groups else {
                        return self.error(f.kind.span(), "a partition fault needs groups = [[...], [...]]");
                    };
                    let mut seen = BTreeSet::new();
                    let mut out = Vec::new();
                    for group in groups.get_ref() {
                        let mut names = Vec::new();
                        for name in group {
                            if !node_names.contains(name.get_ref()) {
                                return self.error(name.span(), format!("no node is named '{}'", name.get_ref()));
                            }
                            if !seen.insert(name.get_ref().clone()) {
                                return self.error(name.span(), format!("'{}' is in more than one group", name.get_ref()));
                            }
                            names.push(name.get_ref().clone());
                        }
                        out.push(names);
                    }
                    if out.len() < 2 {
                        return self.error(groups.span(), "a partition needs at least two groups (unlisted nodes join the last one)");
                    }
                    FaultAction::Partition { groups: out }
                }
                "clog" | "unclog" => {
                    self.only_fields(f, &["from", "to"])?;
                    let from = self.named_node(f.from.as_ref(), f, "from", &node_names)?;
                    let to = self.named_node(f.to.as_ref(), f, "to", &node_names)?;
                    if kind == "clog" { FaultAction::Clog { from, to } } else { FaultAction::Unclog { from, to } }
                }
                "heal" => {
                    self.only_fields(f, &[])?;
                    FaultAction::Heal
                }
                "latency" => {
                    self.only_fields(f, &["latency_ms"])?;
                    let Some(latency) = &f.latency_ms else {
                        return self.error(f.kind.span(), "a latency fault needs latency_ms = [min, max]");
                    };
                    let (min_ms, max_ms) = self.latency(latency)?;
                    FaultAction::Latency { min_ms, max_ms }
                }
                "loss" => {
                    self.only_fields(f, &["packet_loss"])?;
                    let Some(loss) = &f.packet_loss else {
                        return self.error(f.kind.span(), "a loss fault needs packet_loss = <rate>");
                    };
                    FaultAction::Loss { packet_loss: self.loss(loss)? }
                }
                "slow-consumer" => {
                    self.only_fields(f, &["node", "processing_ms_per_record"])?;
                    let node = self.named_node(f.node.as_ref(), f, "node", &node_names)?;
                    if !consumer_members.contains(&node) {
                        let span = f.node.as_ref().map(|n| n.span()).unwrap_or(f.kind.span());
                        return self.error(span, format!("'{node}' is not a consumer group member"));
                    }
                    let Some(ms) = &f.processing_ms_per_record else {
                        return self.error(f.kind.span(), "a slow-consumer fault needs processing_ms_per_record");
                    };
                    FaultAction::SlowConsumer { node, processing_ms_per_record: *ms.get_ref() }
                }
                other => {
                    return self.error(
                        f.kind.span(),
                        format!("unknown fault kind '{other}': use crash, restart, pause, resume, partition, clog, unclog, heal, latency, loss or slow-consumer"),
                    )
                }
            };
            faults.push(Fault { at_ms, action });
        }
        Ok(faults)
    }

    /// Rejects fields that mean nothing for this fault kind (a typo'd kind would otherwise pass).
    fn only_fields(&self, f: &RawFault, allowed: &[&str]) -> Result<()> {
        let present: [(&str, Option<Range<usize>>); 7] = [
            ("node", f.node.as_ref().map(|v| v.span())),
            ("lose_unflushed", f.lose_unflushed.as_ref().map(|v| v.span())),
            ("groups", f.groups.as_ref().map(|v| v.span())),
            ("from", f.from.as_ref().map(|v| v.span())),
            ("to", f.to.as_ref().map(|v| v.span())),
            ("latency_ms", f.latency_ms.as_ref().map(|v| v.span())),
            ("packet_loss", f.packet_loss.as_ref().map(|v| v.span())),
        ];
        for (name, span) in present {
            if let Some(span) = span {
                if !allowed.contains(&name) {
                    return self.error(span, format!("'{name}' does not apply to a {} fault", f.kind.get_ref()));
                }
            }
        }
        if let Some(p) = &f.processing_ms_per_record {
            if !allowed.contains(&"processing_ms_per_record") {
                return self.error(
                    p.span(),
                    format!("'processing_ms_per_record' does not apply to a {} fault", f.kind.get_ref()),
                );
            }
        }
        Ok(())
    }

    fn named_node(
        &self,
        value: Option<&Spanned<String>>,
        f: &RawFault,
        field: &str,
        names: &BTreeSet<String>,
    ) -> Result<String> {
        let Some(value) = value else {
            return self.error(f.kind.span(), format!("a {} fault needs {field} = \"<node>\"", f.kind.get_ref()));
        };
        if !names.contains(value.get_ref()) {
            return self.error(value.span(), format!("no node is named '{}'", value.get_ref()));
        }
        Ok(value.get_ref().clone())
    }

    fn selector(&self, f: &RawFault, scenario: &Scenario, names: &BTreeSet<String>) -> Result<NodeSelector> {
        let Some(node) = &f.node else {
            return self
                .error(f.kind.span(), format!("a {} fault needs node = \"<node or selector>\"", f.kind.get_ref()));
        };
        let text = node.get_ref().as_str();
        if text == "controller" {
            return Ok(NodeSelector::Controller);
        }
        if let Some(group) = text.strip_prefix("coordinator:") {
            if !scenario.consumer_groups.iter().any(|g| g.group == group && g.subscribe) {
                return self
                    .error(node.span(), format!("'{group}' is not a consumer group that subscribes in this scenario"));
            }
            return Ok(NodeSelector::Coordinator(group.to_string()));
        }
        for (prefix, is_leader) in [("leader:", true), ("follower:", false)] {
            if let Some(rest) = text.strip_prefix(prefix) {
                let Some(tp) = TopicPartition::parse(rest) else {
                    return self.error(node.span(), format!("'{rest}' is not TOPIC-PARTITION (for example orders-0)"));
                };
                let exists = scenario
                    .topics
                    .iter()
                    .any(|t| *t.name == *tp.topic && tp.partition >= 0 && tp.partition < t.partitions);
                if !exists {
                    return self.error(node.span(), format!("partition {tp} does not exist in this scenario"));
                }
                return Ok(if is_leader { NodeSelector::Leader(tp) } else { NodeSelector::Follower(tp) });
            }
        }
        if !names.contains(text) {
            return self.error(node.span(), format!("no node is named '{text}' (nodes: broker-N, controller-1, producer names, GROUP-N members; selectors: leader:T-P, follower:T-P, controller, coordinator:GROUP)"));
        }
        Ok(NodeSelector::Name(text.to_string()))
    }

    fn nemesis(&self, raw: &Spanned<RawNemesis>, scenario: &Scenario) -> Result<Nemesis> {
        let table = raw.get_ref();
        let mut families = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for kind in table.kinds.get_ref() {
            let name = kind.get_ref().as_str();
            let Some(family) = NemesisFamily::of_kind(name) else {
                return self
                    .error(kind.span(), format!("unknown nemesis kind '{name}': use {}", NEMESIS_KINDS.join(", ")));
            };
            if !kinds.insert(name) {
                return self.error(kind.span(), format!("'{name}' is listed twice"));
            }
            families.insert(family);
        }
        if families.is_empty() {
            return self
                .error(table.kinds.span(), "kinds must list at least one fault kind for the nemesis to draw from");
        }
        for family in &families {
            let (start, end) = (family.start_kind(), family.end_kind());
            if !(kinds.contains(start) && kinds.contains(end)) {
                let missing = if kinds.contains(start) { end } else { start };
                return self.error(
                    table.kinds.span(),
                    format!("kinds lists '{}' without '{missing}': the nemesis ends every fault it starts ({start} ... {end}), so list both", if kinds.contains(start) { start } else { end }),
                );
            }
        }
        let [min_ms, max_ms] = *table.interval_ms.get_ref();
        let span = table.interval_ms.span();
        if min_ms == 0 {
            return self.error(
                span,
                format!("interval_ms = [{min_ms}, {max_ms}]: the time between faults must be at least 1 ms"),
            );
        }
        if min_ms > max_ms {
            return self.error(
                span,
                format!("interval_ms = [{min_ms}, {max_ms}]: the first bound must not exceed the second"),
            );
        }
        if min_ms > scenario.duration_ms {
            return self.error(
                span,
                format!("interval_ms = [{min_ms}, {max_ms}]: the first fault would come after the workload ends (duration_ms = {})", scenario.duration_ms),
            );
        }
        let max_down = table.max_down.as_ref().map_or(1, |m| *m.get_ref());
        let max_down_span = table.max_down.as_ref().map_or(raw.span(), |m| m.span());
        if max_down == 0 {
            return self.error(
                max_down_span,
                format!(
                    "max_down = 0 leaves no broker to {}: raise it, or drop those kinds",
                    families.iter().map(|f| f.start_kind()).collect::<Vec<_>>().join(" or ")
                ),
            );
        }
        if max_down > scenario.brokers {
            return self.error(
                max_down_span,
                format!("max_down = {max_down}, but the cluster has only {} broker(s)", scenario.brokers),
            );
        }
        let lose_unflushed = match &table.lose_unflushed {
            Some(l) if *l.get_ref() && !families.contains(&NemesisFamily::Crash) => {
                return self
                    .error(l.span(), "lose_unflushed applies to crashes: add \"crash\" and \"restart\" to kinds");
            }
            Some(l) => *l.get_ref(),
            None => false,
        };
        Ok(Nemesis {
            families: families.into_iter().collect(),
            interval_ms: (min_ms, max_ms),
            max_down,
            lose_unflushed,
        })
    }

    fn checks(&self, raw: &RawScenario) -> Result<Vec<CheckExpectation>> {
        let mut checks: Vec<CheckExpectation> = Vec::new();
        for c in &raw.checks {
            let name = c.name.get_ref();
            if !is_known_check(name) {
                return self
                    .error(c.name.span(), format!("unknown check '{name}' (see SCENARIO-FORMAT.md for the names)"));
            }
            if checks.iter().any(|e| &e.name == name) {
                return self.error(c.name.span(), format!("check '{name}' is listed twice"));
            }
            let expect = match c.expect.get_ref().as_str() {
                "none" => Expect::None,
                "some" => Expect::Some,
                other => return self.error(c.expect.span(), format!("expect = \"{other}\": use \"none\" or \"some\"")),
            };
            checks.push(CheckExpectation { name: name.clone(), expect });
        }
        Ok(checks)
    }
}
