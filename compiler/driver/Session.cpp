#include "driver/Session.hpp"

#include "analysis/Analysis.hpp"
#include "audit/Audit.hpp"
#include "audit/GraphPathOracle.hpp"
#include "backends/Backend.hpp"
#include "backends/CapabilityCheck.hpp"
#include "lower/Lowering.hpp"
#include "sema/Sema.hpp"

#include <algorithm>

namespace netsep::driver {

LoadStatus Session::load(const std::string& path, std::string& ioError) {
    LoadStatus st = loadPolicy(path, sources, diags, program, ioError);
    if (st != LoadStatus::Ok)
        return st;
    if (!sema::buildPolicy(program, diags, policy))
        return LoadStatus::PolicyErrors;
    return diags.hasErrors() ? LoadStatus::PolicyErrors : LoadStatus::Ok;
}

void Session::check(model::Date asOf) {
    analysis::Options opts;
    opts.asOf = asOf;
    analysisResult = std::make_shared<analysis::Result>(analysis::analyze(policy, opts));
    analysis::report(*analysisResult, policy, diags);
    audit::GraphPathOracle oracle(*analysisResult->graph, policy);
    auditResult = std::make_shared<audit::AuditResult>(audit::runAudit(policy, asOf, &oracle));
    audit::reportAudit(*auditResult, diags);
}

FileSet Session::compile(const CompileOptions& options) {
    FileSet files;
    lower::LoweringOptions lo{options.asOf, options.firewalls};
    auto lowered = lower::lowerPolicy(policy, sources, lo);
    for (const auto& fw : lowered) {
        const model::Firewall& decl =
            *std::find_if(policy.firewalls.begin(), policy.firewalls.end(),
                          [&](const model::Firewall& f) { return f.name == fw.name; });
        for (const auto& name : fw.backends) {
            if (!options.backends.empty() &&
                std::find(options.backends.begin(), options.backends.end(), name) ==
                    options.backends.end())
                continue;
            const backends::Backend* backend = backends::findBackend(name);
            if (!backend) {
                diags.error("E502", decl.span,
                            "backend '" + name + "' of firewall '" + fw.name +
                                "' is not implemented in this version of netsep");
                continue;
            }
            size_t before = diags.errorCount();
            backends::checkCapabilities(fw, decl, *backend, diags);
            if (diags.errorCount() != before)
                continue;
            for (auto& art : backend->emit(fw))
                files[fw.name + "/" + art.path] = std::move(art.content);
        }
    }
    return files;
}

} // namespace netsep::driver
