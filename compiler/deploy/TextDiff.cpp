#include "deploy/TextDiff.hpp"

#include "deploy/Tool.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace netsep::deploy {

std::string unifiedDiff(const std::string& before, const std::string& after,
                        const std::string& beforeLabel, const std::string& afterLabel,
                        std::size_t maxLines) {
    if (before == after)
        return {};
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec)
        base = "/tmp";
    std::string tmpl = (base / "netsep-diff-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        return "(no diff: cannot create a temporary directory)\n";
    fs::path dir(tmpl);
    fs::path a = dir / "before", b = dir / "after";
    std::ofstream(a, std::ios::binary) << before;
    std::ofstream(b, std::ios::binary) << after;
    const std::vector<std::string> argv = {"diff",    "-u",       "--label",  beforeLabel,
                                           "--label", afterLabel, a.string(), b.string()};
    ToolResult r = runTool(argv, NetScope::host());
    fs::remove_all(dir, ec);
    if (r.exitCode != 1)
        return "(no diff: " + r.describe({"diff", "-u"}) + ")\n";
    std::string out;
    std::size_t lines = 0, pos = 0;
    while (pos < r.out.size()) {
        auto nl = r.out.find('\n', pos);
        if (nl == std::string::npos)
            nl = r.out.size() - 1;
        if (lines == maxLines) {
            std::size_t rest = 0;
            for (std::size_t i = pos; i < r.out.size(); ++i)
                rest += r.out[i] == '\n';
            out += "... (" + std::to_string(rest) + " more lines)\n";
            break;
        }
        out.append(r.out, pos, nl + 1 - pos);
        ++lines;
        pos = nl + 1;
    }
    return out;
}

} // namespace netsep::deploy
