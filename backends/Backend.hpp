#pragma once
#include "lower/LoweredPolicy.hpp"

#include <memory>
#include <string>
#include <vector>

namespace netsep::backends {

// What a backend can express. The shared capability check (not the backend)
// reports every policy feature a backend lacks, so nothing is dropped silently.
struct Capabilities {
    bool identity = false; // user/group match (source-user, user groups)
    bool fqdn = false;     // FQDN address objects
    bool ipv6 = false;
    bool portRanges = false;
    bool icmpTypes = false;
    bool logging = false;
};

// One output file, path relative to the firewall's output directory.
struct Artifact {
    std::string path;
    std::string content;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* name() const = 0;
    virtual Capabilities capabilities() const = 0;
    // Full configuration for one firewall; deterministic bytes.
    virtual std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const = 0;
};

// Every backend, in a fixed order; lookup by registered name.
const std::vector<std::unique_ptr<Backend>>& allBackends();
const Backend* findBackend(const std::string& name);

} // namespace netsep::backends
