//! Key choice for generated records: none (null keys), uniform over `keys` distinct keys, or
//! Zipf-skewed (a few hot keys get most records — the partition-skew lesson).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum KeyDistribution {
    Uniform,
    /// P(key k) ∝ 1 / k^exponent, k = 1..=keys.
    Zipf {
        exponent: f64,
    },
}

#[derive(Clone, Debug)]
pub struct KeyChooser {
    names: Vec<Arc<str>>,
    /// Cumulative probabilities for Zipf; empty for uniform.
    cumulative: Vec<f64>,
}

impl KeyChooser {
    /// `keys = 0` means null keys. Keys are named `key-0`, `key-1`, ... unless `prefix_keys`
    /// supplies explicit names (e.g. `premium_1` for the custom partitioner lesson).
    pub fn new(keys: u64, distribution: &KeyDistribution, explicit_names: &[String]) -> KeyChooser {
        let names: Vec<Arc<str>> = if explicit_names.is_empty() {
            (0..keys).map(|i| Arc::from(format!("key-{i}").as_str())).collect()
        } else {
            explicit_names.iter().map(|n| Arc::from(n.as_str())).collect()
        };
        let cumulative = match distribution {
            KeyDistribution::Uniform => Vec::new(),
            KeyDistribution::Zipf { exponent } => {
                let weights: Vec<f64> = (1..=names.len()).map(|k| 1.0 / (k as f64).powf(*exponent)).collect();
                let total: f64 = weights.iter().sum();
                let mut acc = 0.0;
                weights
                    .iter()
                    .map(|w| {
                        acc += w / total;
                        acc
                    })
                    .collect()
            }
        };
        KeyChooser { names, cumulative }
    }

    pub fn choose(&self, rng: &mut ChaCha8Rng) -> Option<Arc<str>> {
        if self.names.is_empty() {
            return None;
        }
        let index = if self.cumulative.is_empty() {
            rng.gen_range(0..self.names.len())
        } else {
            let u: f64 = rng.gen();
            self.cumulative.partition_point(|c| *c < u).min(self.names.len() - 1)
        };
        Some(self.names[index].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn zipf_makes_the_first_key_hot_and_uniform_does_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let zipf = KeyChooser::new(100, &KeyDistribution::Zipf { exponent: 1.2 }, &[]);
        let uniform = KeyChooser::new(100, &KeyDistribution::Uniform, &[]);
        let count = |chooser: &KeyChooser, rng: &mut ChaCha8Rng| {
            (0..10_000).filter(|_| chooser.choose(rng).as_deref() == Some("key-0")).count()
        };
        let hot = count(&zipf, &mut rng);
        let flat = count(&uniform, &mut rng);
        assert!(hot > 1500, "key-0 should get a large share under Zipf, got {hot}");
        assert!(flat < 200, "uniform gives key-0 about 1%, got {flat}");
        assert_eq!(KeyChooser::new(0, &KeyDistribution::Uniform, &[]).choose(&mut rng), None);
    }
}
