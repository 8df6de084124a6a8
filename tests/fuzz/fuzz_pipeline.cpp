// libFuzzer target over the whole pipeline, in process: load (parse with
// includes restricted to a private copy of policies/), sema, analyses,
// audit, every report renderer, lowering, and every backend's emit() and
// kill switch. A crash, sanitizer report, hang or leak is a finding; policy
// errors are the expected outcome for most inputs.
//
// Build: cmake -DNETSEP_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ (see
// tests/fuzz/CMakeLists.txt); run: tests/fuzz/run-fuzz.sh.
#include "analysis/Analysis.hpp"
#include "audit/Audit.hpp"
#include "audit/AuditRule.hpp"
#include "backends/Backend.hpp"
#include "backends/CapabilityCheck.hpp"
#include "backends/InterfaceNames.hpp"
#include "driver/Session.hpp"
#include "format/Formatter.hpp"
#include "lower/Lowering.hpp"
#include "report/AuditReport.hpp"
#include "report/Render.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace netsep;

namespace {

// <root>/policies/*.nsp (copies of the shipped includes) and <root>/work/,
// where each input is written as fuzz.nsp, so `include "../policies/x.nsp"`
// resolves as it does for the examples.
fs::path gRoot;
fs::path gInput;

void removeRoot() {
    std::error_code ec;
    if (!gRoot.empty())
        fs::remove_all(gRoot, ec);
}

void setUp() {
    std::string tmpl = (fs::temp_directory_path() / "netsep-fuzz-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) {
        std::perror("mkdtemp");
        std::abort();
    }
    gRoot = tmpl;
    std::atexit(removeRoot);
    fs::create_directories(gRoot / "policies");
    fs::create_directories(gRoot / "work");
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(NETSEP_SOURCE_DIR) / "policies", ec))
        if (e.path().extension() == ".nsp")
            fs::copy_file(e.path(), gRoot / "policies" / e.path().filename(), ec);
    // A small include for relative-include paths in the corpus.
    std::ofstream(gRoot / "work" / "common.nsp") << "service https tcp/443\n";
    gInput = gRoot / "work" / "fuzz.nsp";
}

void writeInput(const uint8_t* data, size_t size) {
    std::ofstream out(gInput, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

void checkFormatter(const std::string& text) {
    // `netsep fmt` runs only on files that parse; its output must parse too
    // and be a fixed point (docs/language.md: idempotent).
    std::string once = format::formatSource(text);
    std::string twice = format::formatSource(once);
    if (once != twice) {
        std::fprintf(stderr, "formatter is not idempotent\n");
        std::abort();
    }
    SourceManager sources;
    DiagnosticEngine diags(sources);
    ast::Program program;
    parseSource(sources.add("formatted.nsp", "formatted.nsp", once), sources, diags, program,
                [](const ast::Word&) {});
    if (diags.hasErrors()) {
        std::ostringstream out;
        diags.print(out);
        std::fprintf(stderr, "formatted policy does not parse:\n%s\n--- formatted:\n%s\n",
                     out.str().c_str(), once.c_str());
        std::abort();
    }
}

void runPipeline() {
    driver::Session s;
    // Includes reach work/ (the input's own directory) and the private copy
    // of policies/ (as --include-dir), nothing else on the machine.
    s.includeDirs = {(gRoot / "policies").string()};
    std::string ioError;
    LoadStatus st = s.load(gInput.string(), ioError);
    std::ostringstream sink;
    s.diags.print(sink);
    if (st == LoadStatus::IoError)
        return;
    {
        // `netsep fmt`: the file alone (no includes), read and checked as
        // the loader does; formatted only when it parses.
        SourceManager fmtSources;
        DiagnosticEngine fmtDiags(fmtSources);
        ast::Program fmtProgram;
        std::string fmtError;
        if (loadSingleFile(gInput.string(), fmtSources, fmtDiags, fmtProgram, fmtError) ==
            LoadStatus::Ok)
            checkFormatter(fmtSources.file(0).text);
        fmtDiags.print(sink);
    }
    sink << report::diagnosticsJson(s.diags.sorted(), s.sources);
    if (st != LoadStatus::Ok)
        return;

    const model::Date asOf = *model::Date::parse("2026-11-22");
    // The driver's check and compile, run at once as `netsep compile` does
    // (the compile on worker threads, the checks beside it).
    bool checkFailed = false;
    s.checkAndCompile(
        asOf, {asOf, {}, {}, {}}, [](const std::string&, std::string&&) {}, checkFailed);
    s.diags.print(sink);
    auto sorted = s.diags.sorted();
    sink << report::sarif(sorted, s.sources) << report::diagnosticsJson(sorted, s.sources);
    const analysis::Result& result = *s.analysisResult;
    sink << report::pathsText(result, s.policy) << report::pathsJson(result, s.policy, &s.sources)
         << report::pathsDot(result, s.policy);
    report::AuditInput in{s.policy,         s.sources, *s.auditResult, *result.graph, {}, {}, {},
                          report::Lang::En, {}};
    for (const auto& d : sorted)
        if (!audit::findAuditRule(d.code) && d.severity != Severity::Note)
            in.analysisFindings.push_back(d);
    sink << report::auditText(in) << report::auditJson(in) << report::auditHtml(in);

    // Lowering and every backend, whether or not the firewall lists it (the
    // model is valid after sema, so nothing below may fail on it).
    lower::LoweringOptions lo{asOf, {}};
    for (const auto& fw : lower::lowerPolicy(s.policy, s.sources, lo)) {
        const model::Firewall* decl = nullptr;
        for (const auto& f : s.policy.firewalls)
            if (f.name == fw.name)
                decl = &f;
        if (!decl)
            std::abort();
        for (const auto& backend : backends::allBackends()) {
            // As the driver does: the firewall under the interface names it
            // gives this backend.
            std::optional<lower::LoweredFirewall> renamed;
            const lower::LoweredFirewall& view =
                backends::interfacesFor(fw, *decl, backend->name(), renamed);
            size_t before = s.diags.errorCount();
            backends::checkCapabilities(view, *decl, *backend, s.diags);
            if (s.diags.errorCount() != before)
                continue; // the driver never emits what the check rejected
            for (const auto& art : backend->emit(view))
                sink << art.path << art.content;
            for (const auto& group : view.killSwitchGroups)
                if (auto arts = backend->killSwitchArtifacts(view, group))
                    for (const auto& art : *arts)
                        sink << art.path << art.content;
        }
    }
    // The driver's own kill-switch path.
    std::string group;
    for (const auto& r : s.policy.rules)
        if (r.exception && !r.exception->killSwitch.empty())
            group = r.exception->killSwitch;
    if (!group.empty())
        s.killSwitch(group, {asOf, {}, {}, {}});
    s.diags.print(sink);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setUp();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    writeInput(data, size);
    runPipeline();
    return 0;
}
