#include "driver/ProgressReporter.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include <ostream>

namespace netsep::driver {

ProgressReporter::ProgressReporter(std::ostream& out, std::chrono::milliseconds delay)
    : out_(out), delay_(delay), start_(std::chrono::steady_clock::now()), phaseStart_(start_),
      thread_([this] { loop(); }) {}

ProgressReporter::~ProgressReporter() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        erase();
    }
    wake_.notify_all();
    thread_.join();
}

void ProgressReporter::phaseStarted(std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.emplace_back(name);
    phase_ = name;
    step_.clear();
    done_ = total_ = 0;
    phaseStart_ = std::chrono::steady_clock::now();
}

void ProgressReporter::phaseFinished(std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = std::find(running_.rbegin(), running_.rend(), name);
    if (it != running_.rend())
        running_.erase(std::next(it).base());
    erase();
    if (running_.empty()) {
        phase_.clear();
    } else if (phase_ == name) {
        phase_ = running_.back();
        step_.clear();
        done_ = total_ = 0;
    }
}

void ProgressReporter::setProgress(size_t done, size_t total, std::string_view step) {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = done;
    total_ = total;
    if (step != step_)
        step_ = step;
}

void ProgressReporter::erase() {
    if (!shown_)
        return;
    out_ << "\r\033[K" << std::flush;
    shown_ = false;
}

void ProgressReporter::draw() {
    auto now = std::chrono::steady_clock::now();
    if (phase_.empty() || now - start_ < delay_)
        return;
    double phaseSeconds = std::chrono::duration<double>(now - phaseStart_).count();
    const std::string what = step_.empty() ? phase_ : phase_ + ": " + step_;
    std::string line =
        total_ ? fmt::format("netsep: {} {}/{} ({:.1f} s)", what, done_, total_, phaseSeconds)
               : fmt::format("netsep: {} ({:.1f} s) ...", what, phaseSeconds);
    out_ << "\r\033[K" << line << std::flush;
    shown_ = true;
}

void ProgressReporter::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
        wake_.wait_for(lock, std::chrono::milliseconds(200));
        if (!stop_)
            draw();
    }
}

} // namespace netsep::driver
