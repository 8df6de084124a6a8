#include "report/Render.hpp"

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

// UTF-16 code units in UTF-8 text (4-byte sequences are surrogate pairs).
size_t utf16Units(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) == 0x80)
            continue;
        n += c >= 0xF0 ? 2 : 1;
    }
    return n;
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
    size_t col = span.col > 0 ? span.col - 1 : 0;
    col = std::min(col, line.size());
    size_t len = std::min<size_t>(std::max<uint32_t>(span.length, 1), line.size() - col);
    size_t start = utf16Units(line.substr(0, col)) + 1;
    size_t end = start + std::max<size_t>(1, utf16Units(line.substr(col, len)));
    json region = {{"startLine", span.line}, {"startColumn", start}, {"endColumn", end}};
    return {true, {{"physicalLocation", {{"artifactLocation", artifact}, {"region", region}}}}};
}

} // namespace

std::string describeCode(const std::string& code) {
    const diag::CodeInfo* info = diag::findCode(code);
    return info ? std::string(info->title) : std::string();
}

std::string sarif(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                  const SarifOptions& options) {
    // Rules: every code that occurs, sorted, with the level of its first use.
    std::map<std::string, Severity> codes;
    for (const Diagnostic& d : diags)
        codes.emplace(d.code.empty() ? std::string("netsep") : d.code, d.severity);
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
    json results = json::array();
    for (const Diagnostic& d : diags) {
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

std::string diagnosticsJson(const std::vector<Diagnostic>& diags, const SourceManager& sources) {
    auto where = [&](const SourceSpan& span, json& j) {
        if (!span.valid() || span.file >= sources.size())
            return;
        j["file"] = sources.file(span.file).path;
        j["line"] = span.line;
        j["column"] = span.col;
        j["length"] = span.length;
    };
    json out = json::array();
    size_t errors = 0, warnings = 0, notes = 0;
    for (const Diagnostic& d : diags) {
        errors += d.severity == Severity::Error;
        warnings += d.severity == Severity::Warning;
        notes += d.severity == Severity::Note;
        json j = {{"severity", levelOf(d.severity)}, {"code", d.code}, {"message", d.message}};
        where(d.span, j);
        json ns = json::array();
        for (const auto& [span, msg] : d.notes) {
            json n = {{"message", msg}};
            where(span, n);
            ns.push_back(n);
        }
        j["notes"] = ns;
        out.push_back(j);
    }
    json doc = {{"diagnostics", out},
                {"summary", {{"errors", errors}, {"warnings", warnings}, {"notes", notes}}}};
    return printableJson(doc.dump(2)) + "\n";
}

} // namespace netsep::report
