//! Where one request's time went, for the `Server-Timing` header (`[site] server_timing`): the
//! benchmark reads it to show the next bottleneck. Process start, reading the config and writing
//! the answer are outside; the benchmark sees them as the rest of the total.

use std::time::{Duration, Instant};

/// The phases of a request, in order, and the time spent rendering templates within the handler.
#[derive(Debug)]
pub struct Timing {
    last: Instant,
    phases: Vec<(&'static str, Duration)>,
    rendering: Duration,
}

impl Timing {
    pub fn start() -> Timing {
        Timing {
            last: Instant::now(),
            phases: Vec::with_capacity(5),
            rendering: Duration::ZERO,
        }
    }

    /// Ends the phase `name` now.
    pub fn phase(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }

    /// Notes the time of one template rendering; the handler's phase is reported without it.
    pub fn rendered(&mut self, took: Duration) {
        self.rendering += took;
    }

    /// The header's value: `connect;dur=0.91, begin;dur=0.35, …` in milliseconds.
    pub fn header(&self) -> String {
        let mut parts = Vec::with_capacity(self.phases.len() + 1);
        for &(name, took) in &self.phases {
            let took = match name {
                "handler" => took.saturating_sub(self.rendering),
                _ => took,
            };
            parts.push(format!("{name};dur={:.3}", took.as_secs_f64() * 1000.0));
        }
        parts.push(format!(
            "render;dur={:.3}",
            self.rendering.as_secs_f64() * 1000.0
        ));
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_is_reported_apart_from_the_handler() {
        let mut t = Timing::start();
        t.phases.push(("handler", Duration::from_micros(3000)));
        t.rendered(Duration::from_micros(1000));
        assert_eq!(t.header(), "handler;dur=2.000, render;dur=1.000");
    }
}
