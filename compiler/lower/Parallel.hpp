#pragma once
#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace netsep::lower {

// Worker threads for `jobs` independent jobs: `requested`, or one per
// hardware thread when 0; never more than the jobs, at most 16.
inline unsigned workerCount(size_t jobs, unsigned requested = 0) {
    unsigned n = requested ? requested : std::thread::hardware_concurrency();
    n = std::clamp(n, 1u, 16u);
    return unsigned(std::min<size_t>(n, std::max<size_t>(jobs, 1)));
}

// Runs fn(i) for i in [0, n) on `workers` threads (the caller's included),
// job i on worker i % workers, in increasing i on each worker. Results must
// go to per-job slots, so they do not depend on scheduling. If jobs throw,
// the exception of the lowest-numbered failing job is rethrown after all
// workers finished, as a sequential loop over all jobs would report first.
template <typename Fn> void parallelFor(size_t n, unsigned workers, Fn&& fn) {
    std::vector<std::exception_ptr> errors(n);
    auto work = [&](unsigned w) {
        for (size_t i = w; i < n; i += workers) {
            try {
                fn(i, w);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    if (workers <= 1) {
        workers = 1;
        work(0);
    } else {
        // A worker that cannot be started (a thread or memory limit) has
        // its jobs run by the caller: slower, same results.
        std::vector<std::thread> threads;
        std::vector<unsigned> unstarted;
        for (unsigned w = 1; w < workers; ++w) {
            try {
                threads.emplace_back(work, w);
            } catch (const std::system_error&) {
                unstarted.push_back(w);
            }
        }
        work(0);
        for (unsigned w : unstarted)
            work(w);
        for (auto& t : threads)
            t.join();
    }
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
}

} // namespace netsep::lower
