#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace netsep::driver {

// One file of an earlier compile's output (`compile --previous DIR`): its
// content, or nullopt when there is no such file (a firewall or backend the
// earlier compile did not have). Throws backends::PreviousOutputError when
// the path exists but is not a readable regular file of sane size.
std::optional<std::string> readPreviousFile(const std::filesystem::path& path);

} // namespace netsep::driver
