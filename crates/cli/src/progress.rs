//! Live progress of jobs on stderr: a bar per running job and one for the whole run when
//! stderr is a terminal, plain lines otherwise (a log, CI). Stderr rather than stdout, so that
//! `junos-space rpc ... > results.ndjson` still shows the bars while the results go to a file.

use std::collections::HashMap;
use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use junos_space::JobRecord;

/// What a line says a job belongs to: `job 7` when the label is the job, else `device 3 (job
/// 7)`.
fn subject(label: &str, job: i64) -> String {
    let job = format!("job {job}");
    if label == job {
        job
    } else {
        format!("{label} ({job})")
    }
}

/// Progress of a run of `total` jobs.
pub struct Progress {
    mode: Mode,
}

enum Mode {
    Bars {
        all: MultiProgress,
        overall: ProgressBar,
        jobs: HashMap<String, ProgressBar>,
    },
    Lines,
}

impl Progress {
    /// Bars when stderr is a terminal, lines otherwise.
    pub fn new(total: usize) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { mode: Mode::Lines };
        }
        let all = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = all.add(ProgressBar::new(total as u64));
        overall.set_style(
            ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} settled {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        overall.enable_steady_tick(Duration::from_millis(200));
        Self {
            mode: Mode::Bars {
                all,
                overall,
                jobs: HashMap::new(),
            },
        }
    }

    /// `label`'s call started `job`.
    pub fn started(&mut self, label: &str, job: i64) {
        match &mut self.mode {
            Mode::Lines => eprintln!("{}: started", subject(label, job)),
            Mode::Bars { all, jobs, .. } => {
                let bar = all.add(ProgressBar::new(100));
                bar.set_style(
                    ProgressStyle::with_template("{prefix:>20} [{bar:30}] {pos:>3}% {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar.set_prefix(label.to_owned());
                bar.set_message(format!("job {job}"));
                jobs.insert(label.to_owned(), bar);
            }
        }
    }

    /// `label`'s job changed state or percent.
    pub fn update(&mut self, label: &str, job: &JobRecord) {
        let percent = job.percent.unwrap_or(0.0).clamp(0.0, 100.0);
        match &mut self.mode {
            // The end has a line of its own (`ended`).
            Mode::Lines if job.state.is_finished() => {}
            Mode::Lines => eprintln!("{}: {} {percent:.0}%", subject(label, job.id), job.state),
            Mode::Bars { jobs, .. } => {
                if let Some(bar) = jobs.get(label) {
                    bar.set_position(percent as u64);
                    bar.set_message(format!("job {} {}", job.id, job.state));
                }
            }
        }
    }

    /// `label`'s turn (with its `job`, if one started) ended as `how` says; `settled` when
    /// its job will not change any more (not one left running or past the deadline, which
    /// stays on the screen).
    pub fn ended(&mut self, label: &str, job: Option<i64>, how: &str, settled: bool) {
        let line = match job {
            Some(job) => format!("{}: {how}", subject(label, job)),
            None => format!("{label}: {how}"),
        };
        match &mut self.mode {
            Mode::Lines => eprintln!("{line}"),
            Mode::Bars {
                all, overall, jobs, ..
            } => {
                if let Some(bar) = jobs.remove(label) {
                    bar.finish_and_clear();
                    all.remove(&bar);
                }
                if settled {
                    overall.inc(1);
                } else {
                    // Above the bars, where it stays when they are cleared.
                    let _ = all.println(line);
                }
            }
        }
    }

    /// Ends the display; `summary` (if any) stays on stderr.
    pub fn finish(self, summary: &str) {
        match self.mode {
            Mode::Lines if summary.is_empty() => {}
            Mode::Lines => eprintln!("{summary}"),
            Mode::Bars { overall, jobs, .. } => {
                for bar in jobs.values() {
                    bar.finish_and_clear();
                }
                // Abandoned, not finished: finishing would fill the bar, and jobs left
                // running or past the deadline are not settled.
                overall.abandon_with_message(summary.to_owned());
            }
        }
    }
}
