#include "report/Render.hpp"

#include "analysis/WaivedPaths.hpp"
#include "diag/DiagnosticCodes.hpp"
#include "diag/Printable.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string_view>

namespace netsep::report {

namespace {

using json = nlohmann::ordered_json;

const char* levelOf(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Note:
        return "note";
    }
    return "error";
}

// Diagnostic columns and lengths count code points (the lexers' unit); SARIF
// counts UTF-16 code units unless run.columnKind says otherwise (SARIF
// 2.1.0, "columnKind"); the run declares utf16CodeUnits explicitly.
// Walks `count` code points of UTF-8 text from `from` and returns the UTF-16
// code units they take (code points above U+FFFF are surrogate pairs);
// `from` moves past them.
size_t utf16UnitsOfCodePoints(std::string_view line, size_t& from, size_t count) {
    size_t units = 0;
    for (; count > 0 && from < line.size(); --count) {
        auto c = static_cast<unsigned char>(line[from]);
        size_t bytes = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        units += bytes == 4 ? 2 : 1;
        from = std::min(line.size(), from + bytes);
    }
    return units;
}

std::string percentEncode(std::string_view path) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

struct Location {
    bool valid = false;
    json value;
};

Location physical(const SourceSpan& span, const SourceManager& sources) {
    if (!span.valid() || span.file >= sources.size())
        return {};
    std::string path = sources.file(span.file).path;
    json artifact;
    if (!path.empty() && path[0] == '/') {
        artifact = {{"uri", "file://" + percentEncode(path)}};
    } else {
        while (path.rfind("./", 0) == 0)
            path.erase(0, 2);
        artifact = {{"uri", percentEncode(path)}, {"uriBaseId", "%SRCROOT%"}};
    }
    std::string_view line = sources.line(span.file, span.line);
    size_t at = 0;
    size_t start = utf16UnitsOfCodePoints(line, at, span.col > 0 ? span.col - 1 : 0) + 1;
    size_t end =
        start + std::max<size_t>(1, utf16UnitsOfCodePoints(line, at, std::max(span.length, 1u)));
    json region = {{"startLine", span.line}, {"startColumn", start}, {"endColumn", end}};
    return {true, {{"physicalLocation", {{"artifactLocation", artifact}, {"region", region}}}}};
}

} // namespace

std::string describeCode(const std::string& code) {
    const diag::CodeInfo* info = diag::findCode(code);
    return info ? std::string(info->title) : std::string();
}

std::vector<SuppressedDiagnostic> suppressedFindings(const analysis::WaivedPaths& waived,
                                                     const model::Policy& policy) {
    std::vector<SuppressedDiagnostic> out;
    for (auto& wd : analysis::waivedDiagnostics(waived, policy)) {
        SuppressedDiagnostic sd{std::move(wd.diagnostic), {}};
        for (uint32_t w : wd.waivers) {
            const model::Waiver& x = policy.waivers.at(w);
            sd.suppressions.push_back({"waive hop " + analysis::waiverHopText(policy, x) +
                                           " (ticket " + analysis::waiverJustification(x) + ")",
                                       x.span});
        }
        out.push_back(std::move(sd));
    }
    return out;
}

std::string sarif(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                  const SarifOptions& options,
                  const std::vector<SuppressedDiagnostic>& suppressed) {
    // Rules: every code that occurs, sorted, with the level of its first use.
    std::map<std::string, Severity> codes;
    for (const Diagnostic& d : diags)
        codes.emplace(d.code.empty() ? std::string("netsep") : d.code, d.severity);
    for (const SuppressedDiagnostic& sd : suppressed)
        codes.emplace(sd.diagnostic.code, sd.diagnostic.severity);
    std::map<std::string, size_t> ruleIndex;
    json rules = json::array();
    for (const auto& [code, severity] : codes) {
        ruleIndex[code] = rules.size();
        std::string text = describeCode(code);
        if (text.empty())
            text = "netsep diagnostic " + code;
        rules.push_back({{"id", code},
                         {"shortDescription", {{"text", text}}},
                         {"defaultConfiguration", {{"level", levelOf(severity)}}}});
    }
    auto result = [&](const Diagnostic& d) {
        const std::string code = d.code.empty() ? std::string("netsep") : d.code;
        json r = {{"ruleId", code},
                  {"ruleIndex", ruleIndex[code]},
                  {"level", levelOf(d.severity)},
                  {"message", {{"text", d.message}}}};
        Location loc = physical(d.span, sources);
        r["locations"] = json::array();
        if (loc.valid)
            r["locations"].push_back(loc.value);
        json related = json::array();
        for (size_t i = 0; i < d.notes.size(); ++i) {
            Location nl = physical(d.notes[i].first, sources);
            if (!nl.valid)
                continue;
            nl.value["id"] = i + 1;
            nl.value["message"] = {{"text", d.notes[i].second}};
            related.push_back(nl.value);
        }
        if (!related.empty())
            r["relatedLocations"] = related;
        return r;
    };
    json results = json::array();
    for (const Diagnostic& d : diags)
        results.push_back(result(d));
    // Accepted risks: the waive statement is in the policy source, so the
    // suppression is "inSource" and its status "accepted" (SARIF 2.1.0,
    // suppression object); code scanning shows them as dismissed.
    for (const SuppressedDiagnostic& sd : suppressed) {
        json r = result(sd.diagnostic);
        json sups = json::array();
        for (const Suppression& s : sd.suppressions) {
            json js = {
                {"kind", "inSource"}, {"status", "accepted"}, {"justification", s.justification}};
            Location loc = physical(s.location, sources);
            if (loc.valid)
                js["location"] = loc.value;
            sups.push_back(js);
        }
        r["suppressions"] = sups;
        results.push_back(r);
    }
    json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool",
                                        {{"driver",
                                          {{"name", "netsep"},
                                           {"version", options.toolVersion},
                                           {"informationUri", options.informationUri},
                                           {"rules", rules}}}}},
                                       {"columnKind", "utf16CodeUnits"},
                                       {"results", results}}})}};
    return printableJson(log.dump(2)) + "\n";
}

std::string diagnosticsJson(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                            const std::vector<SuppressedDiagnostic>& suppressed) {
    auto where = [&](const SourceSpan& span, json& j) {
        if (!span.valid() || span.file >= sources.size())
            return;
        j["file"] = sources.file(span.file).path;
        j["line"] = span.line;
        j["column"] = span.col;
        j["length"] = span.length;
    };
    auto item = [&](const Diagnostic& d) {
        json j = {{"severity", levelOf(d.severity)}, {"code", d.code}, {"message", d.message}};
        where(d.span, j);
        json ns = json::array();
        for (const auto& [span, msg] : d.notes) {
            json n = {{"message", msg}};
            where(span, n);
            ns.push_back(n);
        }
        j["notes"] = ns;
        return j;
    };
    json out = json::array();
    size_t errors = 0, warnings = 0, notes = 0;
    for (const Diagnostic& d : diags) {
        errors += d.severity == Severity::Error;
        warnings += d.severity == Severity::Warning;
        notes += d.severity == Severity::Note;
        out.push_back(item(d));
    }
    json sup = json::array();
    for (const SuppressedDiagnostic& sd : suppressed) {
        json j = item(sd.diagnostic);
        json why = json::array();
        for (const Suppression& s : sd.suppressions) {
            json w = {{"kind", "inSource"}, {"justification", s.justification}};
            where(s.location, w);
            why.push_back(w);
        }
        j["suppressions"] = why;
        sup.push_back(j);
    }
    json doc = {{"diagnostics", out},
                {"suppressed", sup},
                {"summary",
                 {{"errors", errors},
                  {"warnings", warnings},
                  {"notes", notes},
                  {"suppressed", suppressed.size()}}}};
    return printableJson(doc.dump(2)) + "\n";
}

} // namespace netsep::report
