// netsep command line: argument parsing and output only; the pipeline lives
// in compiler/driver, the renderers in compiler/report.
#include "ApplyCommand.hpp"
#include "HugePages.hpp"
#include "SanitizerBuild.hpp"
#include "analysis/Analysis.hpp"
#include "analysis/WaivedPaths.hpp"
#include "audit/Assumptions.hpp"
#include "audit/Audit.hpp"
#include "audit/AuditRule.hpp"
#include "audit/DeploymentView.hpp"
#include "audit/DrillEvidence.hpp"
#include "deploy/Quarantine.hpp"
#include "diag/Printable.hpp"
#include "drill/Drill.hpp"
#include "driver/CompileFilter.hpp"
#include "driver/DeployedCompile.hpp"
#include "driver/GitRevision.hpp"
#include "driver/ProcessGuard.hpp"
#include "driver/Session.hpp"
#include "driver/Version.hpp"
#include "format/Formatter.hpp"
#include "report/AuditReport.hpp"
#include "report/Register.hpp"
#include "report/Render.hpp"
#include "report/Review.hpp"
#include "review/AddressIndex.hpp"
#include "review/Diff.hpp"
#include "review/Explain.hpp"
#include "review/FailOn.hpp"
#include "sema/Suggest.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace {

using netsep::driver::Session;
using netsep::model::Date;

// 4: `diff` found a change that needs a second approver (docs/ci.md).
enum Exit { kClean = 0, kPolicyErrors = 1, kUsage = 2, kInternal = 3, kNeedsApproval = 4 };

struct Common {
    std::string policy;
    std::vector<std::string> includeDirs;
    std::string asOf;
    bool strict = false;
    std::string format = "text";
    bool phaseTimes = false;
};

// The session of one command. Its memory (AST, model, analysis graph:
// hundreds of MiB at 100,000 rules) is left to the process exit, like
// compilers do: freeing it object by object took 0.1-0.2 s after the work
// was done. Sanitizer builds free it, so their leak checks stay meaningful.
class CommandSession {
public:
    CommandSession() : s_(std::make_unique<Session>()) {}
    ~CommandSession() {
        if (!netsep::cli::kSanitizerBuild)
            (void)s_.release();
    }
    CommandSession(const CommandSession&) = delete;
    CommandSession& operator=(const CommandSession&) = delete;
    Session& operator*() { return *s_; }

private:
    std::unique_ptr<Session> s_;
};

// --phase-times: prints the session's per-phase wall time and peak memory
// to stderr when the command ends, whatever its outcome.
struct PhaseReport {
    const Session& s;
    bool on;
    ~PhaseReport() {
        if (on)
            s.phases.print(std::cerr);
    }
};

// Messages may carry policy text (include paths, names): cleaned for the
// terminal like every diagnostic.
int usage(const std::string& msg) {
    std::cerr << "netsep: error: " << netsep::printable(msg) << "\n";
    return kUsage;
}

bool parseAsOf(const Common& c, Date& asOf) {
    if (c.asOf.empty()) {
        asOf = Date::today();
        return true;
    }
    auto d = Date::parse(c.asOf);
    if (d)
        asOf = *d;
    return d.has_value();
}

// A progress line on stderr when it is a terminal, for runs longer than a
// second (NETSEP_PROGRESS_AFTER_MS changes the delay, for tests).
void showProgressOnTerminal(Session& s) {
    if (!isatty(STDERR_FILENO))
        return;
    long ms = 1000;
    if (const char* after = std::getenv("NETSEP_PROGRESS_AFTER_MS"))
        ms = std::strtol(after, nullptr, 10);
    s.phases.showProgress(std::cerr, std::chrono::milliseconds(std::max(0L, ms)));
}

// Prints the diagnostics in the requested format: text to stderr, json and
// sarif to stdout (so they can be redirected to a file for code scanning).
// `suppressed`: findings live waivers accept, listed as suppressed results.
void printDiagnostics(const Session& s, const std::string& format,
                      const std::vector<netsep::report::SuppressedDiagnostic>& suppressed = {}) {
    auto sorted = s.diags.sorted();
    if (format == "json")
        std::cout << netsep::report::diagnosticsJson(sorted, s.sources, suppressed);
    else if (format == "sarif")
        std::cout << netsep::report::sarif(sorted, s.sources, {}, suppressed);
    else
        s.diags.print(std::cerr);
}

// The findings that live waivers hide in the session's checked policy.
netsep::analysis::WaivedPaths waivedPaths(const Session& s, Date asOf) {
    if (!s.analysisResult)
        return {};
    netsep::analysis::Options opts;
    opts.asOf = asOf;
    opts.k = 1; // as Session::check
    return netsep::analysis::findWaivedPaths(s.policy, opts, *s.analysisResult);
}

std::vector<netsep::report::SuppressedDiagnostic> waivedFindings(const Session& s, Date asOf) {
    return netsep::report::suppressedFindings(waivedPaths(s, asOf), s.policy);
}

// Parses --fail-on; an empty spec gives an empty (never failing) set.
bool parseFailOn(const std::string& spec, netsep::review::FailOn& out, std::string& error) {
    if (spec.empty())
        return true;
    auto f = netsep::review::parseFailOn(spec, error);
    if (f)
        out = *f;
    return f.has_value();
}

// Loads and checks the policy. Returns an exit code when the run must stop
// (I/O error, policy errors), or -1 to go on. Diagnostics are printed here
// only when the run stops.
int frontEnd(Session& s, const Common& c, Date& asOf, bool runChecks = true) {
    if (!parseAsOf(c, asOf))
        return usage("--as-of '" + c.asOf + "' is not a date (YYYY-MM-DD)");
    s.diags.setWarningsAsErrors(c.strict);
    s.includeDirs = c.includeDirs;
    std::string ioError;
    auto st = s.load(c.policy, ioError);
    if (st == netsep::LoadStatus::IoError)
        return usage(ioError);
    if (st == netsep::LoadStatus::Ok && runChecks)
        s.check(asOf);
    if (s.diags.hasErrors()) {
        printDiagnostics(s, c.format);
        return kPolicyErrors;
    }
    return -1;
}

void addCommon(CLI::App* cmd, Common& c) {
    cmd->add_option("policy", c.policy, "policy file (.nsp)")->required();
    cmd->add_option("--include-dir", c.includeDirs,
                    "a directory includes may reach besides the policy's own (repeatable)");
    cmd->add_option("--as-of", c.asOf, "judge validity on this date (YYYY-MM-DD; default today)");
    cmd->add_flag("--strict", c.strict, "treat warnings as errors");
    cmd->add_flag("--phase-times", c.phaseTimes,
                  "print wall time and peak memory of each phase to stderr");
}

struct Targets {
    std::vector<std::string> backends, firewalls; // empty = all
    std::string failOn;                           // --fail-on
    std::string previousDir;                      // compile --previous
};

int runCheck(const Common& c, const Targets& t) {
    CommandSession session;
    Session& s = *session;
    PhaseReport report{s, c.phaseTimes};
    showProgressOnTerminal(s); // long runs only, erased before any output
    netsep::review::FailOn failOn;
    if (std::string err; !parseFailOn(t.failOn, failOn, err))
        return usage(err);
    Date asOf;
    if (int rc = frontEnd(s, c, asOf, /*runChecks=*/false); rc >= 0)
        return rc;
    if (std::string err = netsep::driver::checkCompileFilter(s.policy, t.firewalls, t.backends);
        !err.empty())
        return usage(err);
    // Everything compile checks (lowering, backend capabilities, interface
    // names), so that check fails exactly when compile would.
    s.checkAll(asOf, {asOf, t.backends, t.firewalls});
    netsep::review::applyFailOn(failOn, s.policy, asOf, s.diags);
    auto suppressed = waivedFindings(s, asOf);
    printDiagnostics(s, c.format, suppressed);
    if (s.diags.hasErrors())
        return kPolicyErrors;
    if (c.format == "text") {
        if (!suppressed.empty())
            std::cerr << "netsep: " << suppressed.size() << " finding"
                      << (suppressed.size() == 1 ? "" : "s")
                      << " accepted by live waivers (netsep paths --include-waived shows "
                      << (suppressed.size() == 1 ? "it" : "them") << ")\n";
        std::cerr << "netsep: " << netsep::printable(c.policy) << ": ok (" << s.policy.zones.size()
                  << " zones, " << s.policy.rules.size() << " rules, " << s.policy.firewalls.size()
                  << " firewalls)\n";
    }
    return kClean;
}

int runCompile(const Common& c, const std::string& out, const Targets& t) {
    const auto& backends = t.backends;
    const auto& firewalls = t.firewalls;
    const auto& previousDir = t.previousDir;
    CommandSession session;
    Session& s = *session;
    PhaseReport report{s, c.phaseTimes};
    showProgressOnTerminal(s); // long runs only, erased before any output
    netsep::review::FailOn failOn;
    if (std::string err; !parseFailOn(t.failOn, failOn, err))
        return usage(err);
    Date asOf;
    if (int rc = frontEnd(s, c, asOf, /*runChecks=*/false); rc >= 0)
        return rc;
    // Before anything is written: a filter that selects nothing must not
    // replace the output with an empty one.
    if (std::string err = netsep::driver::checkCompileFilter(s.policy, firewalls, backends);
        !err.empty())
        return usage(err);
    // The checks and the compile run at once (Session::checkAndCompile); the
    // files stream into a temporary directory that replaces `out` only at
    // commit() and is removed if the checks or the compile fail.
    netsep::driver::OutputDirectory outDir(out);
    bool checkFailed = false;
    size_t files = s.checkAndCompile(
        asOf, {asOf, backends, firewalls, previousDir},
        [&](const std::string& path, std::string&& content) {
            outDir.add(path, content); // an error returns at commit()
        },
        checkFailed);
    if (checkFailed) {
        printDiagnostics(s, c.format);
        return kPolicyErrors;
    }
    netsep::review::applyFailOn(failOn, s.policy, asOf, s.diags); // before anything is written
    s.diags.print(std::cerr);
    if (s.diags.hasErrors())
        return kPolicyErrors;
    if (files == 0)
        std::cerr << "netsep: warning: nothing to emit (no firewall has both zones of a rule)\n";
    netsep::driver::PhaseTimer writeTimer(s.phases, "write");
    if (std::string err = outDir.commit(); !err.empty())
        return usage(err);
    writeTimer.stop();
    std::cerr << "netsep: wrote " << files << " file(s) to " << netsep::printable(out) << "\n";
    return kClean;
}

struct PathsOptions {
    std::string from, to;
    unsigned k = 3;
    bool includeWaived = false;
};

// --from/--to: a zone, group or saas name, or a host address, which stands
// for the most specific endpoint holding it.
bool resolvePathsEndpoint(const Session& s, const netsep::review::AddressIndex& index,
                          const char* option, std::string& name, std::string& error) {
    auto host = netsep::review::parseHost(name);
    if (!host)
        return true;
    auto owner = index.ownerOf(host->family, host->addr);
    auto ep = netsep::review::AddressIndex::mostSpecific(owner);
    if (!ep) {
        error = std::string(option) + " " + name +
                ": no zone, group or saas endpoint of the policy holds this address";
        return false;
    }
    std::cerr << "netsep: " << name << " is in " << index.describe(owner) << "\n";
    name = s.policy.endpointName(*ep);
    return true;
}

int runPaths(const Common& c, PathsOptions po) {
    CommandSession session;
    Session& s = *session;
    showProgressOnTerminal(s);
    Date asOf;
    // A query: policy errors stop it, analysis findings are its answer.
    if (int rc = frontEnd(s, c, asOf, false); rc >= 0)
        return rc;
    netsep::review::AddressIndex index(s.policy);
    std::string error;
    if (!resolvePathsEndpoint(s, index, "--from", po.from, error) ||
        !resolvePathsEndpoint(s, index, "--to", po.to, error))
        return usage(error);
    netsep::analysis::Options opts;
    opts.asOf = asOf;
    opts.k = po.k;
    opts.progress = [&s](std::string_view step, size_t done, size_t total) {
        s.phases.setProgress(done, total, step);
    };
    if (!po.from.empty())
        opts.from = po.from;
    if (!po.to.empty())
        opts.to = po.to;
    netsep::driver::PhaseTimer analysisTimer(s.phases, "analysis");
    auto normal =
        std::make_shared<netsep::analysis::Result>(netsep::analysis::analyze(s.policy, opts));
    if (!normal->error.empty())
        return usage(normal->error);
    // The findings live waivers hide: always listed in JSON; with
    // --include-waived they are shown in place, hops marked.
    auto waived = netsep::analysis::findWaivedPaths(s.policy, opts, *normal);
    analysisTimer.stop();
    const netsep::analysis::Result& result =
        po.includeWaived && waived.unwaived ? *waived.unwaived : *normal;
    if (c.format == "json")
        std::cout << netsep::report::pathsJson(result, s.policy, &s.sources, &waived);
    else if (c.format == "dot")
        std::cout << netsep::report::pathsDot(result, s.policy);
    else
        std::cout << netsep::report::pathsText(result, s.policy,
                                               po.includeWaived ? nullptr : &waived);
    // Like check: findings are exit 1, so CI can gate on `netsep paths`;
    // a query's answer that is no finding, or an accepted risk, is not.
    bool findings = false;
    for (const auto* sets : {&result.lateral, &result.exfiltration})
        for (const auto& ps : *sets)
            findings = findings || (ps.finding && !ps.waived);
    return findings ? kPolicyErrors : kClean;
}

struct ExplainOptions {
    std::string src, dst, service;
    std::string batch; // file of "SRC DST [SERVICE]" lines ("-": stdin)
    bool noSuggest = false;
};

// Reads --batch: one query per line, blank lines and '#' comments skipped.
bool readBatch(const std::string& path, std::vector<netsep::review::FlowQuery>& out,
               std::string& error) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        file.open(path);
        if (!file) {
            error = path + ": cannot open file";
            return false;
        }
        in = &file;
    }
    std::string line;
    for (size_t n = 1; std::getline(*in, line); ++n) {
        if (auto hash = line.find('#'); hash != std::string::npos)
            line.erase(hash);
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string x; words >> x;)
            w.push_back(x);
        if (w.empty())
            continue;
        if (w.size() < 2 || w.size() > 3) {
            error = path + ":" + std::to_string(n) + ": expected 'SRC DST [SERVICE]'";
            return false;
        }
        out.push_back({w[0], w[1], w.size() == 3 ? w[2] : std::string()});
    }
    return true;
}

int runExplain(const Common& c, const ExplainOptions& eo) {
    CommandSession session;
    Session& s = *session;
    std::vector<netsep::review::FlowQuery> queries;
    if (!eo.batch.empty()) {
        if (!eo.src.empty())
            return usage("explain: give SRC DST [SERVICE] or --batch FILE, not both");
        if (std::string err; !readBatch(eo.batch, queries, err))
            return usage(err);
    } else if (eo.src.empty() || eo.dst.empty()) {
        return usage("explain: give SRC DST [SERVICE] (addresses or names), or --batch FILE");
    } else {
        queries.push_back({eo.src, eo.dst, eo.service});
    }
    Date asOf;
    // A question about the policy as written: findings do not stop it.
    if (int rc = frontEnd(s, c, asOf, /*runChecks=*/false); rc >= 0)
        return rc;
    netsep::review::Explainer explainer(s.policy, s.sources, asOf, !eo.noSuggest);
    std::vector<netsep::review::Explanation> answers;
    bool bad = false;
    for (const auto& q : queries) {
        answers.push_back(explainer.explain(q));
        bad = bad || !answers.back().error.empty();
    }
    if (c.format == "json") {
        std::cout << (eo.batch.empty() ? netsep::report::explainJson(answers.front())
                                       : netsep::report::explainJsonArray(answers));
    } else {
        for (size_t i = 0; i < answers.size(); ++i)
            std::cout << (i ? "\n" : "") << netsep::report::explainText(answers[i], c.policy);
    }
    return bad ? kUsage : kClean;
}

struct DiffOptions {
    std::vector<std::string> files; // OLD NEW, or POLICY with --git
    std::string git;                // revision
    std::string out;                // -o FILE
};

// Loads and checks one version for diff; prints its diagnostics prefixed by
// `label` when it cannot be diffed (I/O or policy errors).
int loadVersion(Session& s, const std::string& path, const std::string& label, Date asOf,
                const netsep::FileReader& read) {
    std::string ioError;
    auto st = s.load(path, ioError, read);
    if (st == netsep::LoadStatus::IoError)
        return usage(label + ": " + ioError);
    if (st != netsep::LoadStatus::Ok) {
        std::cerr << "netsep: " << label << " does not load:\n";
        s.diags.print(std::cerr);
        return kPolicyErrors;
    }
    s.check(asOf);
    return -1;
}

int runDiff(const Common& c, const DiffOptions& d) {
    Date asOf;
    if (!parseAsOf(c, asOf))
        return usage("--as-of '" + c.asOf + "' is not a date (YYYY-MM-DD)");
    std::string oldPath, newPath, oldLabel, newLabel;
    netsep::FileReader oldReader;
    std::optional<netsep::driver::GitRevision> rev;
    if (!d.git.empty()) {
        if (d.files.size() != 1)
            return usage("diff --git REV takes one policy file (compared with itself at REV)");
        std::string error;
        rev = netsep::driver::GitRevision::open(d.git, d.files[0], error);
        if (!rev)
            return usage(error);
        oldPath = newPath = d.files[0];
        std::string inRepo = rev->inRepository(d.files[0], error);
        oldLabel = d.git + " (" + rev->commit().substr(0, 12) + "):" + inRepo;
        newLabel = "working tree:" + inRepo;
        oldReader = [&](const std::string& path, std::string& text, std::string& err) {
            return rev->read(path, text, err);
        };
    } else {
        if (d.files.size() != 2)
            return usage("diff takes OLD NEW, or --git REV POLICY");
        oldPath = d.files[0];
        newPath = d.files[1];
        oldLabel = oldPath;
        newLabel = newPath;
    }
    CommandSession oldSession, newSession;
    Session& so = *oldSession;
    Session& sn = *newSession;
    if (int rc = loadVersion(so, oldPath, "OLD " + oldLabel, asOf, oldReader); rc >= 0)
        return rc;
    if (int rc = loadVersion(sn, newPath, "NEW " + newLabel, asOf, {}); rc >= 0)
        return rc;
    netsep::review::PolicyVersion before{so.policy, so.sources, *so.analysisResult, *so.auditResult,
                                         oldLabel};
    netsep::review::PolicyVersion after{sn.policy, sn.sources, *sn.analysisResult, *sn.auditResult,
                                        newLabel};
    auto diff = netsep::review::diffPolicies(before, after, asOf);
    std::string text = c.format == "json"       ? netsep::report::diffJson(diff)
                       : c.format == "markdown" ? netsep::report::diffMarkdown(diff)
                                                : netsep::report::diffText(diff);
    if (d.out.empty())
        std::cout << text;
    else if (std::string err = netsep::driver::writeFileAtomically(d.out, text); !err.empty())
        return usage(err);
    return diff.needsApproval() ? kNeedsApproval : kClean;
}

// Loads and checks the policy for a report: only errors that stop the
// checks (syntax, names) stop it; findings are the report's content.
int reportFrontEnd(Session& s, const Common& c, Date& asOf) {
    showProgressOnTerminal(s);
    if (!parseAsOf(c, asOf))
        return usage("--as-of '" + c.asOf + "' is not a date (YYYY-MM-DD)");
    s.diags.setWarningsAsErrors(c.strict);
    s.includeDirs = c.includeDirs;
    std::string ioError;
    auto st = s.load(c.policy, ioError);
    if (st == netsep::LoadStatus::IoError)
        return usage(ioError);
    if (st != netsep::LoadStatus::Ok) {
        s.diags.print(std::cerr);
        return kPolicyErrors;
    }
    s.check(asOf);
    return -1;
}

netsep::report::Provenance provenanceOf(const Session& s) {
    netsep::report::Provenance p;
    p.version = netsep::kVersion;
    p.digest = s.digest.digest;
    for (const auto& f : s.digest.files)
        p.files.emplace_back(f.path, f.sha256);
    return p;
}

// Everything the audit report and the register show. The assumptions
// (which re-run the analysis once per waiver and isolated zone) only when
// the report shows them.
netsep::report::AuditInput reportInput(Session& s, Date asOf, netsep::report::Lang lang,
                                       bool assumptions = true) {
    netsep::report::AuditInput in{
        s.policy,
        s.sources,
        *s.auditResult,
        *s.analysisResult->graph,
        {},
        assumptions ? netsep::audit::collectAssumptions(s.policy, s.sources, *s.analysisResult,
                                                        *s.auditResult, asOf)
                    : netsep::audit::Assumptions{},
        provenanceOf(s),
        lang};
    for (const auto& d : s.diags.sorted())
        if (!netsep::audit::findAuditRule(d.code) && d.severity != netsep::Severity::Note)
            in.analysisFindings.push_back(d);
    if (assumptions)
        in.deployments = netsep::audit::deploymentView(s.policy, s.sources, asOf);
    return in;
}

int writeReport(const std::string& report, const std::string& outFile) {
    if (outFile.empty()) {
        std::cout << report;
    } else if (std::string err = netsep::driver::writeFileAtomically(outFile, report);
               !err.empty()) {
        return usage(err);
    }
    return -1;
}

struct DrillRecordsOption {
    std::string dir; // --drill-records
    int maxAgeDays = netsep::audit::kDrillMaxAgeDays;
};

void addDrillRecords(CLI::App* cmd, DrillRecordsOption& d) {
    cmd->add_option("--drill-records", d.dir,
                    "directory of kill-switch drill records (netsep killswitch --drill): the "
                    "last drill of each group, as evidence");
    cmd->add_option("--drill-max-age", d.maxAgeDays,
                    "days after which a group's last drill is too old (default 90)")
        ->check(CLI::Range(1, 3650));
}

// Reads the drill records when asked; reports DRL-001..005 into the
// session's diagnostics. -1 to go on, or an exit code.
int readDrills(Session& s, Date asOf, const DrillRecordsOption& d,
               std::optional<netsep::audit::DrillEvidence>& out) {
    if (d.dir.empty())
        return -1;
    std::vector<netsep::drill::DrillRecord> records;
    std::string err;
    if (!netsep::audit::readDrillRecords(d.dir, records, err))
        return usage(err);
    out = netsep::audit::drillEvidence(records, s.policy, s.digest.digest, asOf, d.maxAgeDays);
    out->dir = d.dir;
    netsep::audit::reportDrillFindings(*out, s.policy, s.diags);
    return -1;
}

int runAudit(const Common& c, const std::string& outFile, const std::string& lang,
             const std::string& failOnSpec, const DrillRecordsOption& drillOpt) {
    CommandSession session;
    Session& s = *session;
    netsep::review::FailOn failOn;
    if (std::string err; !parseFailOn(failOnSpec, failOn, err))
        return usage(err);
    Date asOf;
    if (int rc = reportFrontEnd(s, c, asOf); rc >= 0)
        return rc;
    netsep::review::applyFailOn(failOn, s.policy, asOf, s.diags);
    std::optional<netsep::audit::DrillEvidence> drills;
    if (int rc = readDrills(s, asOf, drillOpt, drills); rc >= 0)
        return rc;
    auto in = reportInput(s, asOf, *netsep::report::parseLang(lang));
    in.drills = drills ? &*drills : nullptr;
    std::string report;
    if (c.format == "sarif") {
        auto diags = s.diags.sorted();
        for (auto& d : netsep::report::assumptionNotes(in))
            diags.push_back(std::move(d));
        report = netsep::report::sarif(
            diags, s.sources, {},
            netsep::report::suppressedFindings(waivedPaths(s, asOf), s.policy));
    } else {
        report = c.format == "json"   ? netsep::report::auditJson(in)
                 : c.format == "html" ? netsep::report::auditHtml(in)
                                      : netsep::report::auditText(in);
    }
    if (int rc = writeReport(report, outFile); rc >= 0)
        return rc;
    return s.diags.hasErrors() ? kPolicyErrors : kClean;
}

int runRegister(const Common& c, const std::string& outFile, const DrillRecordsOption& drillOpt) {
    CommandSession session;
    Session& s = *session;
    Date asOf;
    if (int rc = reportFrontEnd(s, c, asOf); rc >= 0)
        return rc;
    std::optional<netsep::audit::DrillEvidence> drills;
    if (int rc = readDrills(s, asOf, drillOpt, drills); rc >= 0)
        return rc;
    auto in = reportInput(s, asOf, netsep::report::Lang::En, /*assumptions=*/false);
    in.drills = drills ? &*drills : nullptr;
    std::string report =
        c.format == "json" ? netsep::report::registerJson(in) : netsep::report::registerCsv(in);
    if (int rc = writeReport(report, outFile); rc >= 0)
        return rc;
    return s.diags.hasErrors() ? kPolicyErrors : kClean;
}

struct KillSwitchOptions {
    std::string group, out, forCompile;
    std::vector<std::string> backends;
    // --drill
    bool drill = false;
    std::string firewall, by, ticket, recordDir;
    std::vector<std::string> endpointAddresses; // NAME=IP
    int probeTimeoutMs = 1000;
};

// `killswitch --drill`: exit 0 passed, 1 failed (record written), 2 usage
// or environment (docs/deploy.md).
int runKillSwitchDrill(const Common& c, const KillSwitchOptions& ko) {
    if (!ko.out.empty() || !ko.forCompile.empty())
        return usage("--drill compiles into its own namespaces: drop -o and --for-compile");
    if (ko.backends.size() != 1 || (ko.backends[0] != "nftables" && ko.backends[0] != "iptables"))
        return usage("--drill needs exactly one --backend: nftables or iptables");
    if (ko.by.empty() || ko.ticket.empty() || ko.recordDir.empty())
        return usage("--drill needs --by NAME, --ticket ID and --record-dir DIR (the record's "
                     "sign-off and where it goes)");
    CommandSession session;
    Session& s = *session;
    Date asOf;
    // Only a policy that compiles can be drilled: the full checks.
    if (int rc = frontEnd(s, c, asOf); rc >= 0)
        return rc == kPolicyErrors ? kUsage : rc;
    netsep::drill::DrillOptions o;
    o.request = {ko.group, ko.firewall, ko.backends[0], asOf, {}};
    for (const auto& e : ko.endpointAddresses) {
        auto eq = e.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == e.size())
            return usage("--endpoint-address takes NAME=ADDRESS, not '" + e + "'");
        o.request.endpointAddresses[e.substr(0, eq)] = e.substr(eq + 1);
    }
    o.policyPath = c.policy;
    o.operatorName = ko.by;
    o.ticket = ko.ticket;
    o.recordDir = ko.recordDir;
    o.probeTimeoutMs = ko.probeTimeoutMs;
    return netsep::drill::runDrill(s, o, std::cout, std::cerr);
}

int runKillSwitch(const Common& c, const KillSwitchOptions& ko) {
    if (ko.drill)
        return runKillSwitchDrill(c, ko);
    if (ko.out.empty())
        return usage("killswitch needs -o DIR (or --drill)");
    if (!ko.firewall.empty() || !ko.by.empty() || !ko.ticket.empty() || !ko.recordDir.empty() ||
        !ko.endpointAddresses.empty())
        return usage("--firewall, --by, --ticket, --record-dir and --endpoint-address belong to "
                     "--drill");
    CommandSession session;
    Session& s = *session;
    Date asOf;
    // The policy must be valid; the analyses and the audit do not hold up a
    // kill switch (it only ever closes access).
    if (int rc = frontEnd(s, c, asOf, /*runChecks=*/false); rc >= 0)
        return rc;
    std::vector<std::string> firewalls;
    if (!ko.forCompile.empty()) {
        if (!c.asOf.empty())
            return usage("--for-compile takes the as-of date from that compile; drop --as-of");
        std::string err;
        auto deployed = netsep::driver::readDeployedCompile(ko.forCompile, err);
        if (!deployed)
            return usage(err);
        if (deployed->policyDigest != s.digest.digest)
            return usage("'" + ko.forCompile + "' was compiled from policy digest " +
                         deployed->policyDigest + ", but " + c.policy + " has digest " +
                         s.digest.digest +
                         ": run it on the policy version that compiled that output");
        asOf = deployed->asOf;
        for (const auto& f : deployed->firewalls)
            if (std::any_of(s.policy.firewalls.begin(), s.policy.firewalls.end(),
                            [&](const auto& fw) { return fw.name == f; }))
                firewalls.push_back(f);
        if (firewalls.empty())
            return usage("'" + ko.forCompile + "' holds no firewall of " + c.policy);
    }
    if (std::string err = netsep::driver::checkCompileFilter(s.policy, firewalls, ko.backends);
        !err.empty())
        return usage(err);
    auto files = s.killSwitch(ko.group, {asOf, ko.backends, firewalls, {}});
    s.diags.print(std::cerr);
    if (s.diags.hasErrors())
        return kPolicyErrors;
    if (std::string err = netsep::driver::writeOutputDirectory(ko.out, files); !err.empty())
        return usage(err);
    std::cerr << "netsep: wrote " << files.size() << " kill-switch file(s) for group '" << ko.group
              << "' (as of " << asOf.str() << ") to " << netsep::printable(ko.out) << "\n";
    return kClean;
}

struct QuarantineArgs {
    std::vector<std::string> targets, allowFrom, backends, firewalls;
    std::string out;
    bool noAccess = false;
};

int runQuarantine(const Common& c, const QuarantineArgs& q) {
    CommandSession session;
    Session& s = *session;
    Date asOf;
    // An incident must not wait for unrelated findings: load and meaning
    // only, no analysis or audit gate (the report runs its own analysis).
    if (int rc = frontEnd(s, c, asOf, /*runChecks=*/false); rc >= 0)
        return rc;
    for (const auto& f : q.firewalls)
        if (std::none_of(s.policy.firewalls.begin(), s.policy.firewalls.end(),
                         [&](const auto& fw) { return fw.name == f; }))
            return usage("--firewall '" + f + "' is not declared in the policy");
    if (q.noAccess && !q.allowFrom.empty())
        return usage("--no-access and --allow-from exclude each other");
    auto out = netsep::deploy::quarantine(s, {q.targets, q.allowFrom, q.noAccess},
                                          {asOf, q.backends, q.firewalls, {}}, q.out);
    s.diags.print(std::cerr);
    if (s.diags.hasErrors())
        return kPolicyErrors;
    if (out.files.size() <= 1) // the report only
        return usage("no selected firewall and backend polices the quarantine's targets");
    if (std::string err = netsep::driver::writeOutputDirectory(q.out, out.files); !err.empty())
        return usage(err);
    std::cout << out.report;
    std::cerr << "netsep: wrote " << out.files.size() << " quarantine file(s) to "
              << netsep::printable(q.out) << "\n";
    return kClean;
}

// Standard input, up to one byte past the loader's size limit (which then
// refuses it).
bool readStandardInput(std::string& text) {
    char buf[1 << 16];
    while (text.size() <= netsep::kMaxFileBytes && std::cin.read(buf, sizeof buf).gcount() > 0)
        text.append(buf, static_cast<size_t>(std::cin.gcount()));
    return !std::cin.bad();
}

// `path` "-": standard input to standard output (editors format on save
// this way); nothing is written to stdout unless the input parses.
int runFmt(const std::string& path, bool checkOnly) {
    CommandSession session;
    Session& s = *session;
    const bool piped = path == "-";
    // Only this file's syntax matters for layout; includes are formatted on
    // their own. Read with the loader's limits and UTF-8 check.
    std::string ioError;
    netsep::LoadStatus st;
    if (piped) {
        std::string input;
        if (!readStandardInput(input))
            return usage("<stdin>: read error");
        st = netsep::loadSingleText("<stdin>", std::move(input), s.sources, s.diags, s.program,
                                    ioError);
    } else {
        st = netsep::loadSingleFile(path, s.sources, s.diags, s.program, ioError);
    }
    if (st == netsep::LoadStatus::IoError)
        return usage(ioError);
    const std::string& text = s.sources.file(0).text;
    if (s.diags.hasErrors()) {
        s.diags.print(std::cerr);
        return kPolicyErrors;
    }
    std::string formatted = netsep::format::formatSource(text);
    if (piped && !checkOnly) {
        std::cout << formatted << std::flush;
        return std::cout ? kClean : usage("<stdout>: write error");
    }
    if (formatted == text)
        return kClean;
    if (checkOnly) {
        std::cerr << "netsep: " << (piped ? "<stdin>" : netsep::printable(path))
                  << " is not formatted (run 'netsep fmt " << netsep::printable(path) << "')\n";
        return kPolicyErrors;
    }
    if (std::string err = netsep::driver::writeFileAtomically(path, formatted,
                                                              netsep::driver::FileTarget::Source);
        !err.empty())
        return usage(err);
    std::cerr << "netsep: formatted " << netsep::printable(path) << "\n";
    return kClean;
}

// `netsep chek ...`: say which word is not a command and suggest the
// nearest (CLI11 alone only says that a subcommand is required). Returns an
// exit code, or -1 when the first argument is an option or a command.
int unknownCommand(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-')
        return -1;
    const std::string word = argv[1];
    std::vector<std::string> names;
    for (const CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; })) {
        if (cmd->get_name() == word)
            return -1;
        names.push_back(cmd->get_name());
    }
    std::string list;
    for (const auto& n : names)
        list += (list.empty() ? "" : ", ") + n;
    const std::string near = netsep::sema::closestName(word, names);
    return usage("unknown command '" + word + "'" +
                 (near.empty() ? std::string() : "; did you mean '" + near + "'?") +
                 " (commands: " + list + ")");
}

const std::vector<std::string> kBackends = {"iptables",    "nftables", "cisco-asa",
                                            "juniper-srx", "paloalto", "fortios"};

} // namespace

int main(int argc, char** argv) {
    try {
        CLI::App app{"netsep: network-segmentation and zero-trust policy compiler"};
        app.require_subcommand(1);
        app.set_version_flag("--version", std::string("netsep ") + netsep::kVersion);

        const char* failOnHelp =
            "also fail (exit 1) on: expired, expiring=Nd, waiver-expired, waiver-expiring=Nd, "
            "warnings, or a diagnostic code (comma-separated; docs/ci.md)";
        Common checkOpts;
        Targets checkTargets;
        auto* check = app.add_subcommand(
            "check", "parse, check, analyse and audit a policy: everything compile checks");
        addCommon(check, checkOpts);
        check->add_option("--format", checkOpts.format, "diagnostics format")
            ->check(CLI::IsMember({"text", "json", "sarif"}));
        check->add_option("--backend", checkTargets.backends, "only this backend (repeatable)")
            ->check(CLI::IsMember(kBackends));
        check->add_option("--firewall", checkTargets.firewalls, "only this firewall (repeatable)");
        check->add_option("--fail-on", checkTargets.failOn, failOnHelp);

        Common compileOpts;
        std::string outDir;
        Targets compileTargets;
        auto* compile = app.add_subcommand("compile", "check a policy and emit firewall configs");
        addCommon(compile, compileOpts);
        compile->add_option("-o,--output", outDir, "output directory (replaced atomically)")
            ->required();
        compile->add_option("--backend", compileTargets.backends, "only this backend (repeatable)")
            ->check(CLI::IsMember(kBackends));
        compile->add_option("--firewall", compileTargets.firewalls,
                            "only this firewall (repeatable)");
        compile->add_option("--fail-on", compileTargets.failOn, failOnHelp);
        compile
            ->add_option("--previous", compileTargets.previousDir,
                         "the compile deployed now (its output directory): vendor outputs also "
                         "remove the rules and objects it had and this one has not")
            ->check(CLI::ExistingDirectory);

        Common pathsOpts;
        PathsOptions po;
        auto* paths = app.add_subcommand("paths", "list lateral-movement and exfiltration paths");
        addCommon(paths, pathsOpts);
        paths->add_option("--from", po.from,
                          "start at this zone, group or saas endpoint, or the one holding "
                          "this address");
        paths->add_option("--to", po.to,
                          "end at this zone, group or saas endpoint, or the one holding this "
                          "address");
        paths->add_flag("--include-waived", po.includeWaived,
                        "also show the findings live waivers hide (accepted risks)");
        paths->add_option("-k", po.k, "paths per finding (witness + alternatives)")
            ->check(CLI::Range(1u, 100u));
        paths->add_option("--format", pathsOpts.format, "output format")
            ->check(CLI::IsMember({"text", "json", "dot"}));

        Common explainOpts;
        ExplainOptions eo;
        auto* explain = app.add_subcommand(
            "explain", "why a flow is allowed or denied, rule by rule on every firewall");
        addCommon(explain, explainOpts);
        explain->add_option("src", eo.src, "source: a host address or a zone/group/saas name");
        explain->add_option("dst", eo.dst, "destination: a host address or a name");
        explain->add_option("service", eo.service,
                            "a policy service or a clause (tcp/443, udp/53, icmp/echo-request); "
                            "default any");
        explain->add_option("--batch", eo.batch,
                            "explain every 'SRC DST [SERVICE]' line of FILE ('-': stdin)");
        explain->add_flag("--no-suggest", eo.noSuggest,
                          "skip the smallest-change suggestion for denied flows (faster in bulk)");
        explain->add_option("--format", explainOpts.format, "output format")
            ->check(CLI::IsMember({"text", "json"}));

        Common diffOpts;
        DiffOptions dopts;
        auto* diff = app.add_subcommand(
            "diff", "what a policy change opens and closes: flows, findings, exceptions, rules");
        diff->add_option("files", dopts.files, "OLD NEW, or POLICY with --git REV")
            ->expected(1, 2)
            ->required();
        diff->add_option("--git", dopts.git,
                         "compare POLICY (and its includes) at this git revision with the "
                         "working tree");
        diff->add_option("--as-of", diffOpts.asOf,
                         "judge validity on this date (YYYY-MM-DD; default today)");
        diff->add_option("--format", diffOpts.format, "output format")
            ->check(CLI::IsMember({"text", "json", "markdown"}));
        diff->add_option("-o,--output", dopts.out, "write the diff to this file (atomically)");

        Common auditOpts;
        std::string auditOut;
        auto* audit = app.add_subcommand("audit", "the auditor's report on separation exceptions");
        addCommon(audit, auditOpts);
        audit->add_option("--format", auditOpts.format, "report format")
            ->check(CLI::IsMember({"text", "json", "sarif", "html"}));
        audit->add_option("-o,--output", auditOut, "write the report to this file (atomically)");
        std::string auditFailOn;
        audit->add_option("--fail-on", auditFailOn, failOnHelp);
        std::string auditLang = "en";
        audit->add_option("--lang", auditLang, "language of the text and html reports")
            ->check(CLI::IsMember({"en", "ko"}));
        DrillRecordsOption auditDrills;
        addDrillRecords(audit, auditDrills);

        Common registerOpts;
        registerOpts.format = "csv";
        std::string registerOut;
        auto* reg = app.add_subcommand(
            "register", "export the exception register for the regulator (one row per exception)");
        addCommon(reg, registerOpts);
        reg->add_option("--format", registerOpts.format, "register format")
            ->check(CLI::IsMember({"csv", "json"}));
        reg->add_option("-o,--output", registerOut, "write the register to this file (atomically)");
        DrillRecordsOption registerDrills;
        addDrillRecords(reg, registerDrills);

        Common ksOpts;
        KillSwitchOptions ko;
        auto* ks = app.add_subcommand(
            "killswitch", "emit scripts that disable / restore every exception of a group");
        addCommon(ks, ksOpts);
        ks->add_option("group", ko.group, "kill-switch group")->required();
        ks->add_option("-o,--output", ko.out,
                       "output directory (replaced atomically); required unless --drill");
        ks->add_option("--backend", ko.backends, "only this backend (repeatable)")
            ->check(CLI::IsMember(kBackends));
        ks->add_option("--for-compile", ko.forCompile,
                       "output directory of the compile loaded on the firewalls: its as-of date "
                       "and firewalls, and its policy digest must match");
        ks->add_flag("--drill", ko.drill,
                     "drill the kill switch on real packets in network namespaces netsep creates "
                     "(root): load the compiled ruleset, open the group's exception flows and a "
                     "control flow, engage, check the cut, restore; writes a drill record "
                     "(docs/deploy.md). Exit 0 passed, 1 failed, 2 usage/environment");
        ks->add_option("--firewall", ko.firewall,
                       "--drill: the firewall to drill (when several carry the group)");
        ks->add_option("--by", ko.by, "--drill: operator who runs the drill (recorded)");
        ks->add_option("--ticket", ko.ticket, "--drill: change or ticket ID (recorded)");
        ks->add_option("--record-dir", ko.recordDir, "--drill: directory for the drill record");
        ks->add_option("--endpoint-address", ko.endpointAddresses,
                       "--drill: NAME=IP, the host that stands for saas endpoint NAME (an address "
                       "of its networks; default: its first address) (repeatable)");
        ks->add_option("--probe-timeout-ms", ko.probeTimeoutMs,
                       "--drill: how long a connection attempt or echo may take")
            ->check(CLI::Range(100, 10000));

        Common qOpts;
        QuarantineArgs qArgs;
        auto* quarantine = app.add_subcommand(
            "quarantine", "emit artifacts that isolate zones or groups on every firewall that "
                          "polices them, and that release them");
        addCommon(quarantine, qOpts);
        quarantine->add_option("targets", qArgs.targets, "zones or groups to isolate")->required();
        quarantine->add_option("-o,--output", qArgs.out, "output directory (replaced atomically)")
            ->required();
        quarantine->add_option("--allow-from", qArgs.allowFrom,
                               "zone that keeps its access (repeatable; default: the policy's "
                               "quarantine-access zones)");
        quarantine->add_flag("--no-access", qArgs.noAccess,
                             "no zone keeps access, whatever the policy declares");
        quarantine->add_option("--backend", qArgs.backends, "only this backend (repeatable)")
            ->check(CLI::IsMember(kBackends));
        quarantine->add_option("--firewall", qArgs.firewalls, "only this firewall (repeatable)");

        std::string fmtPath;
        bool fmtCheck = false;
        auto* fmt = app.add_subcommand("fmt", "rewrite a policy file in canonical layout");
        fmt->add_option("policy", fmtPath,
                        "policy file (.nsp); '-' reads standard input and "
                        "writes the result to standard output")
            ->required();
        fmt->add_flag("--check", fmtCheck,
                      "only report whether the file is formatted (exit 1 if not)");

        netsep::cli::ApplyArgs applyArgs;
        auto* apply = netsep::cli::addApplyCommand(app, applyArgs);

        if (int rc = unknownCommand(app, argc, argv); rc >= 0)
            return rc;
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            int rc = app.exit(e);
            return rc == 0 ? kClean : kUsage;
        }
        for (const std::string* policy :
             {&checkOpts.policy, &compileOpts.policy, &pathsOpts.policy, &auditOpts.policy,
              &registerOpts.policy, &ksOpts.policy, &qOpts.policy, &fmtPath, &explainOpts.policy})
            netsep::cli::restartWithHugePagesForLargeInput(*policy, argv);
        netsep::driver::installProcessGuards();
        if (check->parsed())
            return runCheck(checkOpts, checkTargets);
        if (compile->parsed())
            return runCompile(compileOpts, outDir, compileTargets);
        if (paths->parsed())
            return runPaths(pathsOpts, po);
        if (diff->parsed())
            return runDiff(diffOpts, dopts);
        if (explain->parsed())
            return runExplain(explainOpts, eo);
        if (audit->parsed())
            return runAudit(auditOpts, auditOut, auditLang, auditFailOn, auditDrills);
        if (reg->parsed())
            return runRegister(registerOpts, registerOut, registerDrills);
        if (ks->parsed())
            return runKillSwitch(ksOpts, ko);
        if (fmt->parsed())
            return runFmt(fmtPath, fmtCheck);
        if (quarantine->parsed())
            return runQuarantine(qOpts, qArgs);
        if (apply->parsed())
            return netsep::cli::runApply(applyArgs);
        return kUsage;
    } catch (const std::bad_alloc&) {
        return usage(netsep::driver::kOutOfMemoryMessage);
    } catch (const std::system_error& e) {
        // A thread that could not be started: a process or memory limit.
        if (e.code() == std::errc::resource_unavailable_try_again ||
            e.code() == std::errc::not_enough_memory)
            return usage(netsep::driver::kOutOfMemoryMessage);
        std::cerr << "netsep: internal error: " << netsep::printable(e.what()) << "\n";
        return kInternal;
    } catch (const std::exception& e) {
        std::cerr << "netsep: internal error: " << netsep::printable(e.what()) << "\n";
        return kInternal;
    } catch (...) {
        std::cerr << "netsep: internal error\n";
        return kInternal;
    }
}
