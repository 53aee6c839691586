// The Catch2 runner of the spec tables. Every case of every registered area becomes a test case tagged
// [row:<id>], [<area>] and [<errno>]. A selection whose every case was skipped exits 77, CTest's skip code.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "area.hpp"
#include "harness/host/suite.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace conformance::cases {

std::vector<Area>& areas() {
    static std::vector<Area> a;
    return a;
}

bool register_area(const char* name, const char* clause) {
    areas().push_back({name, clause});
    return true;
}

}  // namespace conformance::cases

namespace {

using namespace conformance;

int g_ran = 0, g_skipped = 0;

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::string worker_path() {
    auto self = std::filesystem::read_symlink("/proc/self/exe");
    return env_or("SEMGET_WORKER", (self.parent_path().parent_path() / "semget-worker").string());
}

struct RowInvoker : Catch::ITestInvoker {
    const Case* c;
    std::string clause;
    RowInvoker(const Case* c, std::string clause) : c(c), clause(std::move(clause)) {}
    void invoke() const override {
        ++g_ran;
        RunOptions opt;
        opt.session.worker = worker_path();
        opt.session.mode = env_or("SEMGET_MODE", "auto");
        Run run = run_cases({c}, opt);
        const Result& r = run.results.at(0);
        INFO(c->id << " (" << c->source << "; area: " << clause << ")");
        if (r.outcome == "skip" || r.outcome == "unsupported") {
            ++g_skipped;
            WARN("SKIPPED " << c->id << ": " << r.reason);
            return;
        }
        if (r.outcome != "pass" && r.outcome != "fail") FAIL(r.outcome << ": " << r.reason);
        for (auto& k : r.checks) {
            INFO(k.step << ": " << k.what << ": expected " << k.expected << ", observed " << k.observed);
            CHECK(k.ok);
        }
    }
};

std::string tags(const Case& c) {
    std::string t = "[row:" + c.row() + "][" + c.area + "][" + c.profile + "]";
    for (auto& e : c.errnos) t += "[" + e + "]";
    return t;
}

// One CTest test per catalogue row, named semget.<row> (with its errnos after a colon, so -R EACCES works).
void write_ctest_script(const std::vector<Case>& cases, const std::string& path, const std::string& self) {
    std::map<std::string, std::set<std::string>> labels;
    std::vector<std::string> order;
    for (auto& c : cases) {
        if (!labels.count(c.row())) order.push_back(c.row());
        for (auto& l : conformance::labels(c)) labels[c.row()].insert(l);
    }
    std::ofstream out(path);
    for (auto& row : order) {
        std::string name = "semget." + row, joined;
        std::string errnos;
        for (auto& l : labels[row]) {
            joined += (joined.empty() ? "" : ";") + l;
            if (l[0] == 'E') errnos += (errnos.empty() ? ":" : ",") + l;
        }
        name += errnos;
        out << "add_test([=[" << name << "]=] \"" << self << "\" \"[row:" << row << "]\")\n"
            << "set_tests_properties([=[" << name << "]=] PROPERTIES LABELS \"" << joined
            << "\" SKIP_RETURN_CODE 77 TIMEOUT 120)\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<Case> all;
    try {
        all = load_tables(env_or("SEMGET_TABLES", SEMGET_TABLES_DIR));
    } catch (const TableError& e) {
        fprintf(stderr, "semget-cases: bad spec table: %s\n", e.what());
        return 2;
    }
    std::map<std::string, std::string> clause;
    for (auto& a : conformance::cases::areas()) clause[a.name] = a.clause;
    std::vector<Case> mine;
    for (auto& c : all)
        if (clause.count(c.area)) mine.push_back(c);
    if (argc == 3 && std::string(argv[1]) == "--ctest-script") {
        write_ctest_script(mine, argv[2], std::filesystem::read_symlink("/proc/self/exe").string());
        return 0;
    }
    static std::vector<Case> keep;
    keep = std::move(mine);
    for (auto& c : keep)
        Catch::getMutableRegistryHub().registerTest(Catch::makeTestCase(
            new RowInvoker(&c, clause[c.area]), "", Catch::NameAndTags{c.id + " " + c.title, tags(c)},
            Catch::SourceLineInfo(c.file.c_str(), std::size_t(c.line))));
    int rc = Catch::Session().run(argc, argv);
    if (rc == 0 && g_ran > 0 && g_ran == g_skipped) return 77;
    return rc;
}
