//! Running child processes, echoing their output and keeping the test runners' summary lines.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::tools;

pub struct Cmd {
    program: String,
    args: Vec<String>,
    envs: Vec<(String, OsString)>,
}

impl Cmd {
    pub fn new(program: &str, args: &[&str]) -> Self {
        Cmd {
            program: program.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            envs: Vec::new(),
        }
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.envs.push((key.to_owned(), value.as_ref().to_owned()));
        self
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args)
            .current_dir(tools::root())
            .env("PATH", tools::path_with_cargo_bin());
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        c
    }

    fn describe(&self) -> String {
        format!("{} {}", self.program, self.args.join(" "))
    }

    /// Starts it in `dir` without waiting (output inherited), for processes that run alongside.
    pub fn spawn_in(&self, dir: &std::path::Path) -> Result<std::process::Child, String> {
        eprintln!("$ (in {}) {}", dir.display(), self.describe());
        self.command()
            .current_dir(dir)
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", self.describe()))
    }

    /// Runs with inherited output; an error names the command and its exit status.
    pub fn run(&self) -> Result<(), String> {
        eprintln!("$ {}", self.describe());
        let status = self
            .command()
            .status()
            .map_err(|e| format!("cannot start `{}`: {e}", self.describe()))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.describe()))
        }
    }

    /// Runs, echoing stdout line by line, and returns the lines starting with `prefix` (after
    /// leading spaces).
    pub fn run_collecting_matching(&self, prefix: &str) -> Result<Vec<String>, String> {
        eprintln!("$ {}", self.describe());
        let mut child = self
            .command()
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", self.describe()))?;
        let mut summaries = Vec::new();
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                println!("{line}");
                if line.trim_start().starts_with(prefix) {
                    summaries.push(line.trim().to_owned());
                }
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("`{}`: {e}", self.describe()))?;
        if status.success() {
            Ok(summaries)
        } else {
            Err(format!("`{}` failed ({status})", self.describe()))
        }
    }

    /// Runs quietly and returns stdout, for probing installed tools.
    pub fn output(&self) -> Option<String> {
        let out = self.command().stderr(Stdio::null()).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// What `cargo xtask test` did, printed at the end.
#[derive(Default)]
pub struct Summary {
    steps: Vec<(String, Duration, Vec<String>)>,
}

impl Summary {
    pub fn step(&mut self, name: &str, cmd: Cmd) -> Result<(), String> {
        self.step_matching(name, cmd, "test result:")
    }

    /// A step that runs no tests (formatting, lints, a build): nothing to count.
    pub fn check(&mut self, name: &str, cmd: Cmd) -> Result<(), String> {
        self.run(name, cmd, "test result:", false)
    }

    /// A check done here rather than by a command (it says what it found when it passes).
    pub fn check_here(
        &mut self,
        name: &str,
        check: impl FnOnce() -> Result<String, String>,
    ) -> Result<(), String> {
        eprintln!("\n==> {name}");
        let started = Instant::now();
        match check() {
            Ok(found) => {
                self.steps
                    .push((name.to_owned(), started.elapsed(), vec![found]));
                Ok(())
            }
            Err(e) => {
                self.print(Duration::ZERO);
                Err(format!("step \"{name}\" failed: {e}"))
            }
        }
    }

    /// A step whose runner's summary lines start with `prefix` rather than cargo's. It fails
    /// when those lines count no test.
    pub fn step_matching(&mut self, name: &str, cmd: Cmd, prefix: &str) -> Result<(), String> {
        self.run(name, cmd, prefix, true)
    }

    fn run(&mut self, name: &str, cmd: Cmd, prefix: &str, tests: bool) -> Result<(), String> {
        eprintln!("\n==> {name}");
        let started = Instant::now();
        let result = cmd.run_collecting_matching(prefix);
        let elapsed = started.elapsed();
        match result {
            Ok(lines) if tests && lines.iter().map(|l| count(l, "passed")).sum::<u64>() == 0 => {
                self.print(Duration::ZERO);
                Err(format!("step \"{name}\" ran no test"))
            }
            Ok(lines) => {
                self.steps.push((name.to_owned(), elapsed, lines));
                Ok(())
            }
            Err(e) => {
                self.print(Duration::ZERO);
                Err(format!("step \"{name}\" failed after {:.0?}: {e}", elapsed))
            }
        }
    }

    pub fn print(&self, total: Duration) {
        println!("\n==> summary");
        let (mut passed, mut failed, mut ignored) = (0u64, 0u64, 0u64);
        for (name, elapsed, lines) in &self.steps {
            println!("{name:<36} ok  {:>7.1}s", elapsed.as_secs_f64());
            for line in lines {
                println!("    {line}");
                passed += count(line, "passed");
                failed += count(line, "failed");
                ignored += count(line, "ignored");
            }
        }
        if !total.is_zero() {
            println!("total time {:.1}s", total.as_secs_f64());
        }
        // The plain closing line CI reads, whatever the runners printed above.
        println!("{passed} passed, {failed} failed, {ignored} skipped");
    }
}

/// The number before `word` in a runner's summary line (`test result: ok. 12 passed; 0 failed`).
fn count(line: &str, word: &str) -> u64 {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .collect();
    words
        .windows(2)
        .filter(|w| w[1] == word)
        .filter_map(|w| w[0].parse::<u64>().ok())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_from_cargo_test_summary_lines() {
        let line = "test result: ok. 12 passed; 1 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(count(line, "passed"), 12);
        assert_eq!(count(line, "failed"), 1);
        assert_eq!(count(line, "ignored"), 3);
    }
}
