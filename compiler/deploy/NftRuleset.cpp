// LiveRuleset for nftables: netsep's table `inet netsep_<firewall>`.
#include "deploy/LiveRuleset.hpp"
#include "deploy/Tool.hpp"

namespace netsep::deploy {

namespace {

class NftRuleset final : public LiveRuleset {
public:
    NftRuleset(const NetScope& scope, std::string table)
        : scope_(scope), table_(std::move(table)) {}

    std::string claim(const Artifact& a) override { return claimTable(a.nftTable); }

    std::string claim(const std::string& snapshot) override {
        // "table inet NAME {" on the first line of a listing.
        static constexpr std::string_view kHead = "table inet ";
        if (snapshot.empty())
            return {};
        if (snapshot.rfind(kHead, 0) != 0)
            return "the recorded nftables snapshot does not start with `table inet`";
        auto end = snapshot.find(' ', kHead.size());
        return claimTable(snapshot.substr(kHead.size(), end - kHead.size()));
    }

    bool read(std::string& snapshot, std::string& error) override {
        snapshot.clear();
        if (table_.empty())
            return true;
        const std::vector<std::string> list = {"nft", "-s", "list", "table", "inet", table_};
        ToolResult r = runTool(list, scope_);
        if (r.ok()) {
            snapshot = std::move(r.out);
            return true;
        }
        // A missing table is an answer, not a failure.
        const std::vector<std::string> tables = {"nft", "list", "tables", "inet"};
        ToolResult t = runTool(tables, scope_);
        if (t.ok() && t.out.find("table inet " + table_ + "\n") == std::string::npos)
            return true;
        error = r.describe(list);
        return false;
    }

    std::string load(const Artifact& a) override { return nftFile(a.nftScript); }

    std::string restore(const std::string& snapshot) override {
        if (table_.empty())
            return "no nftables table to restore";
        // Create-if-absent, delete, define: one transaction (the compiled
        // config's own idiom); an empty snapshot just removes the table.
        std::string script = "table inet " + table_ + " {}\ndelete table inet " + table_ + "\n";
        return nftFile(script + snapshot);
    }

    std::string anchor() const override { return table_; }

private:
    std::string claimTable(const std::string& table) {
        if (table.empty())
            return {};
        if (table_.empty())
            table_ = table;
        if (table != table_)
            return "works on table inet " + table + ", but netsep's table here is inet " + table_;
        return {};
    }

    std::string nftFile(const std::string& script) {
        const std::vector<std::string> argv = {"nft", "-f", "-"};
        ToolResult r = runTool(argv, scope_, script);
        return r.ok() ? std::string() : r.describe(argv);
    }

    NetScope scope_;
    std::string table_;
};

} // namespace

std::unique_ptr<LiveRuleset> makeNftRuleset(const NetScope& scope, const std::string& anchor) {
    return std::make_unique<NftRuleset>(scope, anchor);
}

} // namespace netsep::deploy
