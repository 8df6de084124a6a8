#pragma once
#include "ast/Program.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "diag/SourceManager.hpp"
#include "driver/OutputWriter.hpp"
#include "driver/PhaseTimer.hpp"
#include "model/Policy.hpp"
#include "parse/PolicyLoader.hpp"

#include <memory>
#include <string>
#include <vector>

namespace netsep::analysis {
struct Result;
}
namespace netsep::audit {
struct AuditResult;
}

namespace netsep::driver {

struct CompileOptions {
    model::Date asOf;
    std::vector<std::string> backends;  // empty = every backend each firewall lists
    std::vector<std::string> firewalls; // empty = every firewall
};

// One run of the pipeline over one policy. Each phase reports into `diags`;
// callers stop between phases when diags.hasErrors().
class Session {
public:
    Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // parse (with includes) + sema
    LoadStatus load(const std::string& path, std::string& ioError);
    // Checks that judge the model: analyses, audit, expectations.
    void check(model::Date asOf);
    // Lowering, capability check and emission: output path -> content
    // ("<firewall>/<file>"). Reports E501/E502 on what cannot be emitted.
    FileSet compile(const CompileOptions& options);
    // Kill-switch artifacts for one group on every firewall that carries
    // exceptions of it: "<firewall>/<file>". Reports E503/E504.
    FileSet killSwitch(const std::string& group, const CompileOptions& options);

    SourceManager sources;
    DiagnosticEngine diags{sources};
    ast::Program program;
    model::Policy policy;
    // Filled by check().
    std::shared_ptr<analysis::Result> analysisResult;
    std::shared_ptr<audit::AuditResult> auditResult;
    // Wall time and peak memory per phase (parse, sema, analysis, audit,
    // lower, emit-<backend>); printed by `--phase-times`.
    PhaseTimes phases;
};

} // namespace netsep::driver
