#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace netsep::driver {

// A one-line progress display for long runs on a terminal:
//   netsep: analysis (2.4 s) ...        or    netsep: emit 120/200 (3.1 s)
// redrawn in place (carriage return + erase-line) a few times a second, and
// only once the run has lasted `delay`. The line is shown only while a phase
// runs and is erased the moment the phase ends, so it never mixes with
// diagnostics, which are printed between or after phases. The caller decides
// whether the output is a terminal (PhaseTimes::showProgress).
class ProgressReporter {
public:
    explicit ProgressReporter(std::ostream& out,
                              std::chrono::milliseconds delay = std::chrono::milliseconds(1000));
    ~ProgressReporter();
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    void phaseStarted(std::string_view name);
    // Erases the line before returning.
    // Ends phase `name`; a phase that started earlier and still runs (check
    // beside a compile's lowering) becomes the shown one again.
    void phaseFinished(std::string_view name);
    // Work done in the current phase (e.g. firewalls emitted), optionally
    // within a named step ("lateral movement").
    void setProgress(size_t done, size_t total, std::string_view step = {});

private:
    void loop();
    void draw();  // with mutex_ held
    void erase(); // with mutex_ held

    std::ostream& out_;
    std::chrono::milliseconds delay_;
    std::chrono::steady_clock::time_point start_, phaseStart_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::string phase_;                // empty: no phase running
    std::vector<std::string> running_; // phases started and not finished, oldest first
    std::string step_;
    size_t done_ = 0, total_ = 0;
    bool shown_ = false;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace netsep::driver
