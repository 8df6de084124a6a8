#include "driver/Session.hpp"

#include "analysis/Analysis.hpp"
#include "audit/Audit.hpp"
#include "audit/GraphPathOracle.hpp"
#include "backends/Backend.hpp"
#include "backends/CapabilityCheck.hpp"
#include "lower/Lowering.hpp"
#include "lower/Parallel.hpp"
#include "sema/Sema.hpp"

#include <algorithm>
#include <atomic>

namespace netsep::driver {

LoadStatus Session::load(const std::string& path, std::string& ioError) {
    PhaseTimer parseTimer(phases, "parse");
    LoadStatus st = loadPolicy(path, sources, diags, program, ioError);
    parseTimer.stop();
    if (st != LoadStatus::Ok)
        return st;
    PhaseTimer semaTimer(phases, "sema");
    if (!sema::buildPolicy(program, diags, policy))
        return LoadStatus::PolicyErrors;
    return diags.hasErrors() ? LoadStatus::PolicyErrors : LoadStatus::Ok;
}

void Session::check(model::Date asOf) {
    analysis::Options opts;
    opts.asOf = asOf;
    opts.k = 1; // diagnostics show the witness path only
    PhaseTimer analysisTimer(phases, "analysis");
    analysisResult = std::make_shared<analysis::Result>(analysis::analyze(policy, opts));
    analysis::report(*analysisResult, policy, diags);
    analysisTimer.stop();
    PhaseTimer auditTimer(phases, "audit");
    audit::GraphPathOracle oracle(*analysisResult->graph, policy);
    auditResult = std::make_shared<audit::AuditResult>(audit::runAudit(policy, asOf, &oracle));
    audit::reportAudit(*auditResult, diags);
}

FileSet Session::compile(const CompileOptions& options) {
    FileSet files;
    lower::LoweringOptions lo{options.asOf, options.firewalls};
    PhaseTimer lowerTimer(phases, "lower");
    auto lowered = lower::lowerPolicy(policy, sources, lo);
    lowerTimer.stop();

    // Capability check and emission per firewall, on all cores. Each firewall
    // reports into its own engine and writes its own slot; the slots are
    // merged in firewall order, so files and diagnostics come out exactly as
    // a sequential loop would produce them.
    struct Emitted {
        std::unique_ptr<DiagnosticEngine> diags;
        std::vector<std::pair<std::string, std::string>> files;
        std::vector<std::pair<std::string, std::pair<double, double>>> times; // backend, wall/cpu
    };
    std::vector<Emitted> emitted(lowered.size());
    PhaseTimer emitTimer(phases, "emit");
    unsigned workers = lower::workerCount(lowered.size());
    std::atomic<size_t> done{0};
    lower::parallelFor(lowered.size(), workers, [&](size_t i, unsigned) {
        const lower::LoweredFirewall& fw = lowered[i];
        Emitted& out = emitted[i];
        out.diags = std::make_unique<DiagnosticEngine>(sources);
        out.diags->setWarningsAsErrors(diags.warningsAsErrors());
        DiagnosticEngine& fwDiags = *out.diags;
        const model::Firewall& decl =
            *std::find_if(policy.firewalls.begin(), policy.firewalls.end(),
                          [&](const model::Firewall& f) { return f.name == fw.name; });
        for (const auto& name : fw.backends) {
            if (!options.backends.empty() &&
                std::find(options.backends.begin(), options.backends.end(), name) ==
                    options.backends.end())
                continue;
            const backends::Backend* backend = backends::findBackend(name);
            ThreadTimer timer;
            if (!backend) {
                fwDiags.error("E502", decl.span,
                              "backend '" + name + "' of firewall '" + fw.name +
                                  "' is not implemented in this version of netsep");
                continue;
            }
            size_t before = fwDiags.errorCount();
            backends::checkCapabilities(fw, decl, *backend, fwDiags);
            if (fwDiags.errorCount() == before)
                for (auto& art : backend->emit(fw))
                    out.files.emplace_back(fw.name + "/" + art.path, std::move(art.content));
            out.times.emplace_back("emit-" + name, timer.elapsed());
        }
        phases.setProgress(++done, lowered.size());
    });
    emitTimer.stop();
    for (auto& e : emitted) {
        for (const auto& d : e.diags->all())
            diags.report(d);
        for (auto& [path, content] : e.files)
            files[path] = std::move(content);
        for (const auto& [name, t] : e.times)
            phases.record(name, t.first, t.second);
    }
    return files;
}

FileSet Session::killSwitch(const std::string& group, const CompileOptions& options) {
    FileSet files;
    bool declared = false;
    SourceSpan firstUse;
    for (const auto& r : policy.rules)
        if (r.exception && r.exception->killSwitch == group) {
            if (!declared)
                firstUse = r.span;
            declared = true;
        }
    if (!declared) {
        std::string known;
        for (const auto& r : policy.rules)
            if (r.exception && !r.exception->killSwitch.empty() &&
                known.find(" " + r.exception->killSwitch + ",") == std::string::npos)
                known += " " + r.exception->killSwitch + ",";
        if (!known.empty())
            known.pop_back();
        diags.error("E503", policy.span,
                    "no exception belongs to kill-switch group '" + group + "'" +
                        (known.empty() ? std::string() : "; groups in this policy:" + known));
        return files;
    }
    lower::LoweringOptions lo{options.asOf, options.firewalls};
    size_t carried = 0;
    for (const auto& fw : lower::lowerPolicy(policy, sources, lo)) {
        if (std::find(fw.killSwitchGroups.begin(), fw.killSwitchGroups.end(), group) ==
            fw.killSwitchGroups.end())
            continue;
        ++carried;
        const model::Firewall& decl =
            *std::find_if(policy.firewalls.begin(), policy.firewalls.end(),
                          [&](const model::Firewall& f) { return f.name == fw.name; });
        for (const auto& name : fw.backends) {
            if (!options.backends.empty() &&
                std::find(options.backends.begin(), options.backends.end(), name) ==
                    options.backends.end())
                continue;
            const backends::Backend* backend = backends::findBackend(name);
            auto ks = backend ? backend->killSwitchArtifacts(fw, group) : std::nullopt;
            if (!ks) {
                diags.error("E504", decl.span,
                            "backend '" + name + "' of firewall '" + fw.name +
                                "' cannot emit a kill switch in this version of netsep");
                continue;
            }
            for (auto& art : *ks)
                files[fw.name + "/" + art.path] = std::move(art.content);
        }
    }
    if (carried == 0)
        diags.warning("W504", firstUse,
                      "no firewall carries an exception of kill-switch group '" + group +
                          "' on " + options.asOf.str() +
                          " (expired, not yet issued, or no firewall between its zones)");
    return files;
}

} // namespace netsep::driver
