#pragma once
#include <string>

namespace netsep::deploy {

// A unified diff of two texts (`diff -u` from diffutils, run by fork/exec),
// at most `maxLines` lines of it; "" when they are equal.
std::string unifiedDiff(const std::string& before, const std::string& after,
                        const std::string& beforeLabel, const std::string& afterLabel,
                        std::size_t maxLines = 400);

} // namespace netsep::deploy
