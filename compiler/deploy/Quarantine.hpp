#pragma once
#include "deploy/QuarantinePlan.hpp"
#include "driver/Session.hpp"

#include <string>

namespace netsep::deploy {

struct QuarantineOutput {
    // "<firewall>/<backend>-quarantine[-release].<ext>" per firewall and
    // backend, and "quarantine-report.txt" (the report below).
    driver::FileSet files;
    std::string report;
};

// `netsep quarantine`: plans the quarantine (QuarantinePlan), asks each
// backend of each policing firewall for its artifacts (E512 when a backend
// cannot) and writes the report, with the lateral-movement impact on the
// crown jewels (QuarantineImpact). `outDir` only appears in the report's
// commands. Errors go to s.diags; the output is then incomplete.
// `q` (policy interface names) with the firewall's interfaces as `backend`
// names them (`interface NAME zone Z on BACKEND OTHER`).
lower::LoweredQuarantine quarantineFor(const lower::LoweredQuarantine& q,
                                       const model::Firewall& decl, const std::string& backend);

QuarantineOutput quarantine(driver::Session& s, const QuarantineRequest& request,
                            const driver::CompileOptions& options, const std::string& outDir);

} // namespace netsep::deploy
