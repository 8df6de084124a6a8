#pragma once
#include "diag/SourceSpan.hpp"
#include "model/Date.hpp"
#include "model/Rule.hpp"

#include <string>
#include <vector>

namespace netsep::model {

// `any` on either side expands to every zone (like rules).
struct Expectation {
    enum class Kind : uint8_t { Allow, Deny, NoPath } kind = Kind::Allow;
    std::vector<Endpoint> from;
    std::vector<Endpoint> to;
    std::vector<uint32_t> services;
    bool serviceAny = true; // no `service` clause or `service any`
    SourceSpan span;
};

struct Waiver {
    std::vector<Endpoint> from;
    std::vector<Endpoint> to;
    std::vector<uint32_t> services;
    bool serviceAny = true;
    Date until;
    std::string because;
    std::string ticket;
    std::string owner; // who accepted the risk; empty when not stated
    SourceSpan span;
};

} // namespace netsep::model
