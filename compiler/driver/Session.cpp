#include "driver/Session.hpp"

#include "driver/PreviousOutput.hpp"
#include "driver/Version.hpp"

#include "analysis/Analysis.hpp"
#include "audit/Audit.hpp"
#include "audit/GraphPathOracle.hpp"
#include "backends/Backend.hpp"
#include "backends/CapabilityCheck.hpp"
#include "backends/InterfaceNames.hpp"
#include "lower/Lowering.hpp"
#include "lower/Parallel.hpp"
#include "sema/Sema.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

namespace netsep::driver {

LoadStatus Session::load(const std::string& path, std::string& ioError, const FileReader& read) {
    PhaseTimer parseTimer(phases, "parse");
    LoadStatus st = loadPolicy(path, sources, diags, program, ioError, includeDirs, read);
    parseTimer.stop();
    if (st != LoadStatus::IoError)
        digest = PolicyDigest::of(sources);
    if (st != LoadStatus::Ok)
        return st;
    PhaseTimer semaTimer(phases, "sema");
    const bool built = sema::buildPolicy(program, diags, policy);
    // Nothing reads the syntax tree after sema (the model holds copies);
    // freeing it now lets lowering and analysis reuse its memory instead of
    // faulting in fresh pages (a fifth of `check` at 100k rules was the
    // kernel zeroing them).
    program = ast::Program{};
    if (!built)
        return LoadStatus::PolicyErrors;
    return diags.hasErrors() ? LoadStatus::PolicyErrors : LoadStatus::Ok;
}

void Session::check(model::Date asOf) {
    // Names printed verbatim into a vendor config are the policy's, so a
    // name the platform rejects is a policy error, not a compile surprise.
    backends::checkInterfaceNames(policy, diags);
    analysis::Options opts;
    opts.asOf = asOf;
    opts.k = 1; // diagnostics show the witness path only
    // Diagnostics show a few path sets per group (analysis::report).
    opts.pathSetsPerGroup = analysis::kFindingsListedPerGroup;
    opts.progress = [this](std::string_view step, size_t done, size_t total) {
        phases.setProgress(done, total, step);
    };
    PhaseTimer analysisTimer(phases, "analysis");
    analysisResult = std::make_shared<analysis::Result>(analysis::analyze(policy, opts));
    analysis::report(*analysisResult, policy, diags);
    analysisTimer.stop();
    // Sub-phases of the analysis, single-threaded: CPU equals wall.
    const analysis::Timings& t = analysisResult->timings;
    for (const auto& [name, ms] : {std::pair{"analysis.graph", t.graph},
                                   {"analysis.lateral", t.lateral},
                                   {"analysis.exfiltration", t.exfiltration},
                                   {"analysis.cut", t.cut},
                                   {"analysis.anomalies", t.anomalies},
                                   {"analysis.expectations", t.expectations}})
        phases.record(name, ms / 1000, ms / 1000);
    PhaseTimer auditTimer(phases, "audit");
    audit::GraphPathOracle oracle(*analysisResult->graph, policy);
    auditResult = std::make_shared<audit::AuditResult>(audit::runAudit(policy, asOf, &oracle));
    audit::reportAudit(*auditResult, diags);
}

FileSet Session::compile(const CompileOptions& options) {
    FileSet files;
    std::mutex m;
    compile(options, [&](const std::string& path, std::string&& content) {
        std::lock_guard<std::mutex> lock(m);
        files[path] = std::move(content);
    });
    return files;
}

size_t Session::compile(const CompileOptions& options, const FileSink& sink) {
    return compileInto(options, sink, diags);
}

size_t Session::checkAndCompile(model::Date asOf, const CompileOptions& options,
                                const FileSink& sink, bool& checkFailed) {
    // The checks (single-threaded) and lowering + emission (on workers) only
    // read the policy; they overlap, and the compile's diagnostics are kept
    // apart until the checks are done.
    DiagnosticEngine compileDiags(sources);
    compileDiags.setWarningsAsErrors(diags.warningsAsErrors());
    size_t files = 0;
    std::exception_ptr compileError;
    auto compileAll = [&] {
        try {
            files = compileInto(options, sink, compileDiags);
        } catch (...) {
            compileError = std::current_exception();
        }
    };
    std::thread compiler;
    try {
        compiler = std::thread(compileAll);
    } catch (const std::system_error&) {
        // No thread to be had (a thread or memory limit): one after the other.
    }
    try {
        check(asOf);
    } catch (...) {
        if (compiler.joinable())
            compiler.join();
        throw;
    }
    if (compiler.joinable())
        compiler.join();
    else if (!diags.hasErrors())
        compileAll();
    checkFailed = diags.hasErrors();
    if (checkFailed)
        return 0; // as if the compile had never run
    if (compileError)
        std::rethrow_exception(compileError);
    for (const auto& d : compileDiags.all())
        diags.report(d);
    return files;
}

void Session::checkAll(model::Date asOf, const CompileOptions& options) {
    DiagnosticEngine compileDiags(sources);
    compileDiags.setWarningsAsErrors(diags.warningsAsErrors());
    std::exception_ptr compileError;
    std::thread lowering([&] {
        try {
            compileInto(options, FileSink(), compileDiags); // no sink: nothing is emitted
        } catch (...) {
            compileError = std::current_exception();
        }
    });
    try {
        check(asOf);
    } catch (...) {
        lowering.join();
        throw;
    }
    lowering.join();
    if (compileError)
        std::rethrow_exception(compileError);
    // The check already reported some of what the compile finds (interface
    // names a backend cannot print): each diagnostic once.
    std::set<std::tuple<std::string, uint32_t, uint32_t, uint32_t, std::string>> seen;
    for (const auto& d : diags.all())
        seen.emplace(d.code, d.span.file, d.span.line, d.span.col, d.message);
    for (const auto& d : compileDiags.all())
        if (!seen.count({d.code, d.span.file, d.span.line, d.span.col, d.message}))
            diags.report(d);
}

lower::LoweringOptions Session::loweringOptions(const CompileOptions& options) const {
    lower::LoweringOptions lo;
    lo.asOf = options.asOf;
    lo.firewalls = options.firewalls;
    lo.provenance = {digest.digest, kVersion, options.asOf.str()};
    return lo;
}

backends::PreviousOutput Session::previousOutput(const CompileOptions& options,
                                                 const std::string& firewall) const {
    if (options.previousDir.empty())
        return {};
    std::filesystem::path dir = std::filesystem::path(options.previousDir) / firewall;
    return [dir](const std::string& path) -> std::optional<std::string> {
        return readPreviousFile(dir / path);
    };
}

size_t Session::compileInto(const CompileOptions& options, const FileSink& sink,
                            DiagnosticEngine& into) {
    lower::LoweringOptions lo = loweringOptions(options);
    // One worker per core: the sink only copies into the page cache (the
    // output directory is written back in the background and synced before
    // it is renamed into place, OutputDirectory).
    unsigned workers = lower::workerCount(policy.firewalls.size(), lower::workerCount(SIZE_MAX));
    PhaseTimer lowerTimer(phases, "lower");
    lower::FirewallLowerer lowerer(policy, sources, lo, workers);
    lowerTimer.stop();

    // Per firewall, on all cores: lowering, capability check and emission.
    // Each firewall reports into its own engine, merged in firewall order
    // afterwards, so the diagnostics come out exactly as a sequential loop
    // would produce them; its files go to the sink at once and its lowered
    // form is freed before the worker takes the next firewall, so memory
    // holds a firewall per worker, not every firewall's rules and configs.
    struct Emitted {
        std::unique_ptr<DiagnosticEngine> diags;
        std::vector<std::pair<std::string, std::pair<double, double>>> times; // phase, wall/cpu
    };
    std::atomic<size_t> files{0};
    const size_t count = lowerer.size();
    std::vector<Emitted> emitted(count);
    PhaseTimer emitTimer(phases, "emit");
    std::atomic<size_t> done{0};
    lower::parallelFor(count, lower::workerCount(count, workers), [&](size_t i, unsigned w) {
        Emitted& out = emitted[i];
        ThreadTimer lowerOne;
        lower::LoweredFirewall fw = lowerer.lower(i, w); // renamed per backend in place
        out.times.emplace_back("lower-firewall", lowerOne.elapsed());
        out.diags = std::make_unique<DiagnosticEngine>(sources);
        out.diags->setWarningsAsErrors(into.warningsAsErrors());
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
            const backends::InterfacesRenamed renamed(fw, decl, name);
            const lower::LoweredFirewall& view = renamed.firewall();
            backends::checkCapabilities(view, decl, *backend, fwDiags);
            std::vector<backends::Artifact> artifacts;
            if (fwDiags.errorCount() == before && sink) {
                try {
                    artifacts = backend->emit(view, previousOutput(options, fw.name));
                } catch (const backends::PreviousOutputError& e) {
                    fwDiags.error("E506", decl.span,
                                  "backend '" + name + "' of firewall '" + fw.name +
                                      "': cannot use the previous output: " + e.what());
                }
            }
            out.times.emplace_back("emit-" + name, timer.elapsed());
            ThreadTimer writeTimer;
            for (auto& art : artifacts) {
                sink(fw.name + "/" + art.path, std::move(art.content));
                ++files;
            }
            out.times.emplace_back("emit-write", writeTimer.elapsed());
        }
        phases.setProgress(++done, count);
    });
    emitTimer.stop();
    for (auto& e : emitted) {
        for (const auto& d : e.diags->all())
            into.report(d);
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
    const model::KillSwitchState* engaged = policy.engagedSwitch(group);
    if (engaged)
        diags.warning("W505", engaged->span,
                      "kill-switch group '" + group + "' is engaged in the policy (since " +
                          engaged->since.str() +
                          "): compiled configs carry it off already; the enable artifacts turn "
                          "it on only until the next deploy");
    lower::LoweringOptions lo = loweringOptions(options);
    size_t carried = 0;
    for (const auto& fw : lower::lowerPolicy(policy, sources, lo)) {
        // Every firewall between the zones of the group's exceptions, in
        // force on the as-of date or not: the loaded compile may be older.
        if (!std::binary_search(fw.switchGroups.begin(), fw.switchGroups.end(), group))
            continue;
        ++carried;
        const bool inForce =
            std::binary_search(fw.killSwitchGroups.begin(), fw.killSwitchGroups.end(), group);
        const model::Firewall& decl =
            *std::find_if(policy.firewalls.begin(), policy.firewalls.end(),
                          [&](const model::Firewall& f) { return f.name == fw.name; });
        for (const auto& name : fw.backends) {
            if (!options.backends.empty() &&
                std::find(options.backends.begin(), options.backends.end(), name) ==
                    options.backends.end())
                continue;
            const backends::Backend* backend = backends::findBackend(name);
            std::optional<lower::LoweredFirewall> renamed;
            const lower::LoweredFirewall& view = backends::interfacesFor(fw, decl, name, renamed);
            // The same check as compile: a backend only ever sees rules and
            // names it can express (an over-long interface name would throw).
            if (backend) {
                size_t before = diags.errorCount();
                backends::checkCapabilities(view, decl, *backend, diags);
                if (diags.errorCount() != before)
                    continue;
            }
            if (backend && !inForce && !backend->capabilities().killSwitchByState) {
                // Its artifacts name the group's rules, which this compile
                // does not have: they must come from the loaded compile.
                diags.error("E505", decl.span,
                            "backend '" + name + "' of firewall '" + fw.name +
                                "': no exception of kill-switch group '" + group + "' is " +
                                (engaged ? "emitted (the group is engaged in the policy)"
                                         : "in force on " + options.asOf.str()) +
                                ", so its kill switch cannot name the rules the device runs; "
                                "make it for the compile that is loaded: --for-compile DIR "
                                "(that compile's output) or --as-of its date");
                continue;
            }
            auto ks = backend ? backend->killSwitchArtifacts(view, group) : std::nullopt;
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
                      "no firewall sits between the zones of kill-switch group '" + group +
                          "': there is nothing to switch");
    return files;
}

} // namespace netsep::driver
