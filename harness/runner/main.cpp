// semget-conformance: runs the catalogue's cases against an implementation of semget and reports.
// Exit status: 0 nothing failed, 1 something failed (fail, error, timeout or crash), 2 usage or setup error.
#include "../host/results.hpp"
#include "../host/suite.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <unistd.h>

#ifndef SEMGET_TABLES_DIR
#define SEMGET_TABLES_DIR "fixtures/tables"
#endif

using namespace conformance;

namespace {

std::string beside_me(const std::string& name) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? name : (self.parent_path() / name).string();
}

void print_result(const Result& r, bool verbose) {
    static const std::map<std::string, std::string> label = {
        {"pass", "PASS"}, {"fail", "FAIL"},       {"skip", "SKIP"},         {"error", "ERROR"},
        {"timeout", "TIMEOUT"}, {"crash", "CRASH"}, {"unsupported", "UNSUPPORTED"}};
    if (r.outcome == "pass" && !verbose) return;
    std::cout << label.at(r.outcome) << " " << r.c->id << " " << r.c->title << "  [" << r.target << "]\n";
    if (!r.reason.empty()) std::cout << "    " << r.reason << "\n";
    if (!verbose) return;
    for (auto& rec : r.obs.records)
        if (rec.kind == "ret" || rec.kind == "identity" || rec.kind == "died" || rec.kind == "broken")
            std::cout << "    observed: " << rec.line << "\n";
    for (auto& k : r.checks)
        std::cout << "    " << (k.ok ? "ok   " : "FAIL ") << k.step << ": " << k.what << ": expected " << k.expected
                  << ", observed " << k.observed << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Judges an implementation of semget(2) against the catalogue of its behaviours."};
    bool list = false, verbose = false;
    std::vector<std::string> filters;
    int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
    std::string json_path, tables = SEMGET_TABLES_DIR, worker = beside_me("semget-worker"), mode = "auto",
                           profile = "linux";
    long timeout_ms = 0, silence_ms = 30000;
    std::string progress = isatty(2) ? "on" : "off";
    app.add_flag("--list", list, "List the cases (id and title) and exit");
    app.add_option("-f,--filter", filters, "Run only cases matching an id glob (E2.*), an area or an errno");
    app.add_option("-j,--jobs", jobs, "Cases run at once")->check(CLI::Range(1, 256));
    app.add_flag("-v,--verbose", verbose, "Show every call a case makes and every check");
    app.add_option("--json", json_path, "Write the results file here");
    app.add_option("--tables", tables, "Folder of spec tables")->check(CLI::ExistingDirectory);
    app.add_option("--worker", worker, "Worker executable");
    app.add_option("--mode", mode, "Isolation: auto, ipc (IPC namespace), userns (user+IPC), none (host namespace)")
        ->check(CLI::IsMember({"auto", "ipc", "userns", "none"}));
    app.add_option("--timeout", timeout_ms, "Per-case timeout in ms (default: each table's own)")->check(CLI::Range(1L, 3600000L));
    app.add_option("--worker-timeout", silence_ms, "A worker silent this long (ms) is hung; its cases time out")
        ->check(CLI::Range(100L, 3600000L));
    app.add_option("--profile", profile, "linux: every row; posix: only rows POSIX requires")
        ->check(CLI::IsMember({"linux", "posix"}));
    app.add_option("--progress", progress, "Progress line on stderr (default: on for a terminal)")
        ->check(CLI::IsMember({"on", "off"}));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    std::vector<Case> all;
    try {
        all = load_tables(tables);
    } catch (const TableError& e) {
        std::cerr << "semget-conformance: bad spec table: " << e.what() << "\n";
        return 2;
    }
    std::string unmatched;
    auto chosen = select(all, filters, &unmatched);
    if (!unmatched.empty()) {
        std::cerr << "semget-conformance: --filter '" << unmatched << "' matches no case (see --list)\n";
        return 2;
    }
    if (timeout_ms)
        for (auto& c : all) c.timeout_ms = timeout_ms;
    if (list) {
        for (auto* c : chosen) std::cout << c->id << "  " << c->title << "\n";
        return 0;
    }

    RunOptions opt;
    opt.session.worker = worker;
    opt.session.mode = mode;
    opt.session.jobs = jobs;
    opt.session.silence_ms = silence_ms;
    opt.session.hello_ms = std::max(silence_ms, 1000L);
    opt.profile = profile;
    int failures = 0;
    opt.on_result = [&](const Result& r, size_t done, size_t total) {
        if (progress == "on") std::cerr << "\r\033[K";
        print_result(r, verbose);
        failures += r.outcome == "fail" || r.outcome == "error" || r.outcome == "timeout" || r.outcome == "crash";
        if (progress == "on")
            std::cerr << "[" << done << "/" << total << "] " << r.c->id << "  failures: " << failures << std::flush;
    };
    std::vector<Run> runs;
    try {
        runs.push_back(run_cases(chosen, opt));
    } catch (const SessionError& e) {
        std::cerr << "\nsemget-conformance: " << e.what() << "\n";
        return 2;
    }
    if (progress == "on") std::cerr << "\r\033[K";
    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << results_document(runs).dump(2) << "\n";
        if (!out) {
            std::cerr << "semget-conformance: cannot write " << json_path << "\n";
            return 2;
        }
    }
    Counts c = count(runs);
    std::cout << c.summary() << "\n";
    if (runs.back().interrupted) {
        std::cerr << "semget-conformance: interrupted by signal " << runs.back().interrupted << "\n";
        return 128 + runs.back().interrupted;
    }
    return c.failed() ? 1 : 0;
}
