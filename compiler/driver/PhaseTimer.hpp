#pragma once
#include <chrono>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netsep::driver {

class ProgressReporter;

// Wall time, CPU time and peak memory of each pipeline phase, for
// `--phase-times` and the benchmarks in bench/. Recording is cheap (a few
// clock reads and one getrusage call per phase), so it is always on;
// printing is opt-in.
class PhaseTimes {
public:
    struct Phase {
        std::string name;
        double seconds = 0;    // wall time, summed over every record of this name
        double cpuSeconds = 0; // process CPU time (user + system, all threads), summed
        long peakRssKib = 0;   // process peak RSS (getrusage) when last recorded
        unsigned count = 0;    // how many times it was recorded
    };

    PhaseTimes();
    ~PhaseTimes();
    PhaseTimes(const PhaseTimes&) = delete;
    PhaseTimes& operator=(const PhaseTimes&) = delete;
    // Adds to phase `name` (phases are kept in first-record order).
    // Thread-safe, so parallel workers may record into one table.
    void record(std::string_view name, double seconds, double cpuSeconds);
    std::vector<Phase> phases() const;
    // Seconds since this table was created (the session's lifetime so far).
    double elapsed() const;
    // One line per phase, then the whole session:
    //   netsep: phase parse: 0.412 s, cpu 0.405 s, peak RSS 210.3 MiB
    void print(std::ostream& out) const;

    // Shows a progress line on `terminal` for runs longer than a second
    // (ProgressReporter). Call it only when the stream is a terminal.
    void showProgress(std::ostream& terminal,
                      std::chrono::milliseconds after = std::chrono::milliseconds(1000));
    // Phase boundaries and progress within a phase, for the progress line.
    void phaseStarted(std::string_view name);
    void phaseFinished(std::string_view name);
    // `step`: what is being counted within the phase ("lateral movement").
    void setProgress(size_t done, size_t total, std::string_view step = {});

    // The process's peak resident set size so far, in KiB.
    static long peakRssKib();
    // CPU time the process has used so far (user + system, every thread).
    static double cpuSeconds();

private:
    mutable std::mutex mutex_;
    std::vector<Phase> phases_;
    std::chrono::steady_clock::time_point start_;
    double startCpu_;
    std::unique_ptr<ProgressReporter> progress_;
};

// Times one scope: records into `times` when destroyed (or at stop()).
class PhaseTimer {
public:
    PhaseTimer(PhaseTimes& times, std::string name);
    ~PhaseTimer();
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;
    void stop();

private:
    PhaseTimes& times_;
    std::string name_;
    std::chrono::steady_clock::time_point start_;
    double startCpu_;
    bool running_ = true;
};

// Wall and CPU time of the calling thread since construction, for work
// done on worker threads (recorded into PhaseTimes afterwards).
class ThreadTimer {
public:
    ThreadTimer();
    // {wall seconds, this thread's CPU seconds}
    std::pair<double, double> elapsed() const;

private:
    std::chrono::steady_clock::time_point start_;
    double startCpu_;
};

} // namespace netsep::driver
