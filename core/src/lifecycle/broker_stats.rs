//! What the deployment's agent reads from the brokers for its heartbeats (SPEC §7: live sessions
//! and TPS), from EMQX's documented REST API: `GET /api/v5/stats?aggregate=true` (an object of
//! counters such as `live_connections.count`) and `GET /api/v5/metrics?aggregate=true` (cumulative
//! counters such as `messages.received`). TPS is the growth of `messages.received` between two
//! reads over the seconds between them.

use serde_json::Value;

/// The stats and metrics paths the agent asks each broker.
pub const STATS_PATH: &str = "/api/v5/stats?aggregate=true";
pub const METRICS_PATH: &str = "/api/v5/metrics?aggregate=true";

/// A counter of an aggregated answer; EMQX answers an object, or a one-element array of one.
fn counter(answer: &Value, name: &str) -> Option<u64> {
    let object = match answer {
        Value::Array(items) => items.first()?,
        other => other,
    };
    object.get(name)?.as_u64()
}

/// Live sessions: connected clients (`live_connections.count`; older brokers only have
/// `connections.count`).
pub fn sessions(stats: &Value) -> Option<u64> {
    counter(stats, "live_connections.count").or_else(|| counter(stats, "connections.count"))
}

/// Messages received so far, the counter TPS is measured on.
pub fn messages_received(metrics: &Value) -> Option<u64> {
    counter(metrics, "messages.received")
}

/// Messages per second between two reads; a counter that went down (a broker restarted) counts
/// from zero rather than giving a negative rate.
pub fn tps(before: u64, now: u64, seconds: f64) -> u64 {
    if !(seconds.is_finite() && seconds > 0.0) {
        return 0;
    }
    let grown = if now >= before { now - before } else { now };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rate = (grown as f64 / seconds).round() as u64;
    rate
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sessions_come_from_live_connections_in_either_answer_shape() {
        assert_eq!(
            sessions(&json!({"live_connections.count": 42, "connections.count": 50})),
            Some(42)
        );
        assert_eq!(sessions(&json!([{"live_connections.count": 7}])), Some(7));
        assert_eq!(sessions(&json!({"connections.count": 9})), Some(9));
        assert_eq!(sessions(&json!({"topics.count": 9})), None);
        assert_eq!(sessions(&json!("nonsense")), None);
    }

    #[test]
    fn tps_is_the_growth_per_second_and_survives_a_restart() {
        assert_eq!(
            messages_received(&json!({"messages.received": 1000})),
            Some(1000)
        );
        assert_eq!(tps(1000, 4000, 15.0), 200);
        assert_eq!(tps(5000, 300, 15.0), 20);
        assert_eq!(tps(1, 2, 0.0), 0);
    }
}
