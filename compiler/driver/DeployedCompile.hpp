#pragma once
#include "model/Date.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::driver {

// What the output directory of an earlier `netsep compile` says about the
// compile that made it: the provenance line every generated file carries
// ("Policy digest sha256:..., netsep VERSION, as of DATE."). `netsep
// killswitch --for-compile DIR` uses it to make kill-switch artifacts for
// exactly the compile that is loaded on the firewalls.
struct DeployedCompile {
    std::string policyDigest; // "sha256:<hex>"
    std::string netsepVersion;
    model::Date asOf;
    std::vector<std::string> firewalls; // directories holding generated files, sorted
};

// Reads DIR/<firewall>/<file> headers. Every file that names a provenance
// must name the same one. Returns nullopt and sets `error` when the
// directory cannot be read, holds no generated file, or mixes compiles.
std::optional<DeployedCompile> readDeployedCompile(const std::string& dir, std::string& error);

} // namespace netsep::driver
