#pragma once
#include "ast/Program.hpp"
#include "backends/Backend.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "diag/SourceManager.hpp"
#include "driver/OutputWriter.hpp"
#include "driver/PhaseTimer.hpp"
#include "driver/PolicyDigest.hpp"
#include "lower/Lowering.hpp"
#include "model/Policy.hpp"
#include "parse/PolicyLoader.hpp"

#include <functional>
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
    // An earlier compile's output directory (the one deployed now): vendor
    // backends also remove what it had and this compile has not. Empty: none.
    std::string previousDir = {};
};

// One run of the pipeline over one policy. Each phase reports into `diags`;
// callers stop between phases when diags.hasErrors().
class Session {
public:
    Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // parse (with includes) + sema; `read` replaces the file system (a git
    // revision for `diff --git`)
    LoadStatus load(const std::string& path, std::string& ioError, const FileReader& read = {});
    // Directories includes may reach besides the policy's own (--include-dir).
    std::vector<std::string> includeDirs;
    // Checks that judge the model: analyses, audit, expectations.
    void check(model::Date asOf);
    // Lowering, capability check and emission: output path -> content
    // ("<firewall>/<file>"). Reports E501/E502 on what cannot be emitted.
    FileSet compile(const CompileOptions& options);
    // The same, streamed: each file goes to `sink` as soon as its firewall is
    // emitted (called from worker threads, every path once) instead of being
    // kept until the end. Returns the number of files.
    using FileSink = std::function<void(const std::string& path, std::string&& content)>;
    size_t compile(const CompileOptions& options, const FileSink& sink);
    // check(asOf) and compile(options, sink) at once: lowering and emission
    // run on worker threads while the analyses and the audit run on this one,
    // so a compile takes about as long as the longer of the two. Whatever
    // the compile produced is speculative: when the checks report errors,
    // `checkFailed` is set, `diags` holds exactly what check() alone reports,
    // and the caller must discard the files (the sink has seen them).
    // Otherwise the compile's diagnostics follow the checks', as if the two
    // had run one after the other.
    size_t checkAndCompile(model::Date asOf, const CompileOptions& options, const FileSink& sink,
                           bool& checkFailed);
    // Everything compile checks, short of writing a file: check(asOf) and,
    // at the same time, lowering with the backend capability and
    // interface-name checks (E501/E502), without emission. Every diagnostic
    // of both is kept, so `check` fails exactly when `compile` would.
    void checkAll(model::Date asOf, const CompileOptions& options);
    // Kill-switch artifacts for one group on every firewall that carries
    // exceptions of it: "<firewall>/<file>". Reports E503/E504.
    FileSet killSwitch(const std::string& group, const CompileOptions& options);

    SourceManager sources;
    DiagnosticEngine diags{sources};
    ast::Program program;
    model::Policy policy;
    // Every loaded file's SHA-256 and the policy digest over them; set by
    // load() once the files are read.
    PolicyDigest digest;
    // Filled by check().
    std::shared_ptr<analysis::Result> analysisResult;
    std::shared_ptr<audit::AuditResult> auditResult;
    // Wall time, CPU time and peak memory per phase (parse, sema, analysis,
    // audit, lower, emit; emit-<backend> and emit-write are summed over the
    // emission workers); printed by `--phase-times`.
    PhaseTimes phases;

private:
    lower::LoweringOptions loweringOptions(const CompileOptions& options) const;
    backends::PreviousOutput previousOutput(const CompileOptions& options,
                                            const std::string& firewall) const;
    size_t compileInto(const CompileOptions& options, const FileSink& sink, DiagnosticEngine& into);
};

} // namespace netsep::driver
