#include "driver/PhaseTimer.hpp"

#include "driver/ProgressReporter.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <time.h>

#include <ostream>
#include <system_error>

namespace netsep::driver {

PhaseTimes::PhaseTimes() : start_(std::chrono::steady_clock::now()), startCpu_(cpuSeconds()) {}

PhaseTimes::~PhaseTimes() = default;

void PhaseTimes::showProgress(std::ostream& terminal, std::chrono::milliseconds after) {
    try {
        progress_ = std::make_unique<ProgressReporter>(terminal, after);
    } catch (const std::system_error&) {
        // Progress is a courtesy: without a thread to draw it, none.
    }
}

void PhaseTimes::phaseStarted(std::string_view name) {
    if (progress_)
        progress_->phaseStarted(name);
}

void PhaseTimes::phaseFinished(std::string_view name) {
    if (progress_)
        progress_->phaseFinished(name);
}

void PhaseTimes::setProgress(size_t done, size_t total, std::string_view step) {
    if (progress_)
        progress_->setProgress(done, total, step);
}

long PhaseTimes::peakRssKib() {
    struct rusage ru {};
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return ru.ru_maxrss; // KiB on Linux
}

double PhaseTimes::cpuSeconds() {
    timespec ts{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0;
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

void PhaseTimes::record(std::string_view name, double seconds, double cpu) {
    long rss = peakRssKib();
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& p : phases_) {
        if (p.name == name) {
            p.seconds += seconds;
            p.cpuSeconds += cpu;
            p.peakRssKib = rss;
            ++p.count;
            return;
        }
    }
    phases_.push_back({std::string(name), seconds, cpu, rss, 1});
}

std::vector<PhaseTimes::Phase> PhaseTimes::phases() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return phases_;
}

double PhaseTimes::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void PhaseTimes::print(std::ostream& out) const {
    std::string text;
    for (const auto& p : phases())
        text += fmt::format("netsep: phase {}: {:.3f} s, cpu {:.3f} s, peak RSS {:.1f} MiB\n",
                            p.name, p.seconds, p.cpuSeconds, p.peakRssKib / 1024.0);
    text += fmt::format("netsep: phase total: {:.3f} s, cpu {:.3f} s, peak RSS {:.1f} MiB\n",
                        elapsed(), cpuSeconds() - startCpu_, peakRssKib() / 1024.0);
    out << text;
}

PhaseTimer::PhaseTimer(PhaseTimes& times, std::string name)
    : times_(times), name_(std::move(name)), start_(std::chrono::steady_clock::now()),
      startCpu_(PhaseTimes::cpuSeconds()) {
    times_.phaseStarted(name_);
}

PhaseTimer::~PhaseTimer() {
    stop();
}

void PhaseTimer::stop() {
    if (!running_)
        return;
    running_ = false;
    times_.phaseFinished(name_);
    times_.record(name_,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
                  PhaseTimes::cpuSeconds() - startCpu_);
}

namespace {
double threadCpuSeconds() {
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
} // namespace

ThreadTimer::ThreadTimer()
    : start_(std::chrono::steady_clock::now()), startCpu_(threadCpuSeconds()) {}

std::pair<double, double> ThreadTimer::elapsed() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
            threadCpuSeconds() - startCpu_};
}

} // namespace netsep::driver
