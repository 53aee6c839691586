// semget(2) NOTES and proc(5): the limits in /proc/sys/kernel/sem, and the views of them semctl gives.
#include "rules.hpp"

#include <regex>

namespace conformance::rules {

namespace {

const char* kFields[] = {"SEMMSL", "SEMMNS", "SEMOPM", "SEMMNI"};

std::string unhex(const std::string& h) {
    std::string s;
    for (size_t i = 0; i + 1 < h.size(); i += 2) s += char(std::stoi(h.substr(i, 2), nullptr, 16));
    return s;
}

void judge_values(Judge& j, const Record& lim, const std::string& prefix) {
    for (const char* f : kFields) {
        auto key = prefix + "." + f;
        if (j.step.expect.fields.count(key)) j.eq(std::string(f) + " read back", j.expected(key), lim.get(f));
    }
}

}  // namespace

void judge_limits(Judge& j) {
    const Expect& e = j.step.expect;
    if (j.step.op == "limits") {
        const Record& r = j.need("ret", j.step.name);
        if (e.error) j.eq("writing the limits fails with", *e.error, r.get("errno"));
        else j.eq("writing the limits succeeds", "0", r.get("errno"));
    }
    const Record& lim = j.need("limits", j.step.name);
    judge_values(j, lim, j.step.op == "limits" ? "then" : "values");
    if (e.fields.count("format")) {
        const std::string raw = unhex(lim.get("raw"));
        j.that("reads as four tab-separated integers and a newline (F13)",
               std::regex_match(raw, std::regex("-?[0-9]+\t-?[0-9]+\t-?[0-9]+\t-?[0-9]+\n")),
               "SEMMSL\\tSEMMNS\\tSEMOPM\\tSEMMNI\\n", "'" + raw + "'");
    }
    if (e.fields.count("defaults")) {
        const long long want[] = {32000, 1024000000, 500, 32000};
        for (int i = 0; i < 4; ++i)
            j.eq(std::string(kFields[i]) + " starts at the default (F14)", want[i], lim.num(kFields[i]));
    }
}

void judge_info(Judge& j) {
    const Expect& e = j.step.expect;
    const Record* ipc = nullptr;
    const Record* sem = nullptr;
    for (auto* r : j.obs.all("info", j.step.name)) (r->get("which") == "ipc" ? ipc : sem) = r;
    if (!ipc || !sem) throw Broken("no IPC_INFO/SEM_INFO observation for " + j.step.name);
    j.that("IPC_INFO succeeds", ipc->num("ret") >= 0, ">= 0", ipc->get("ret") + " " + ipc->get("errno"));
    j.that("SEM_INFO succeeds", sem->num("ret") >= 0, ">= 0", sem->get("ret") + " " + sem->get("errno"));
    for (auto& [field, value] : e.fields)
        if (field.rfind("info.", 0) == 0) j.eq("SEM_INFO " + field.substr(5), j.expected(field), sem->get(field.substr(5)));
    if (e.fields.count("match_limits")) {
        const Record& lim = j.need("limits", j.step.name);
        const char* si[] = {"semmsl", "semmns", "semopm", "semmni"};
        for (int i = 0; i < 4; ++i) {
            j.eq(std::string("IPC_INFO ") + si[i] + " equals " + kFields[i] + " (F9)", lim.num(kFields[i]), ipc->num(si[i]));
            j.eq(std::string("SEM_INFO ") + si[i] + " equals " + kFields[i] + " (F9)", lim.num(kFields[i]), sem->num(si[i]));
        }
    }
    if (e.fields.count("grew.from")) {  // F10: usage counters move by exactly what was created
        const std::string from = e.fields.at("grew.from");
        const Record* before = nullptr;
        for (auto* r : j.obs.all("info", from))
            if (r->get("which") == "sem") before = r;
        if (!before) throw Broken("no SEM_INFO observation for " + from);
        for (const char* f : {"semusz", "semaem"})
            if (e.fields.count(std::string("grew.") + f))
                j.eq(std::string("SEM_INFO ") + f + " grew by", std::stoll(e.fields.at(std::string("grew.") + f)),
                     sem->num(f) - before->num(f));
    }
}

void judge_sysctl(Judge& j) {
    const Expect& e = j.step.expect;
    if (j.step.args.count("write")) {
        const Record& r = j.need("ret", j.step.name);
        j.eq("writing " + j.step.args.at("name") + (e.error ? " fails with" : " succeeds"), e.error ? *e.error : "0",
             r.get("errno"));
    }
    const Record& s = j.need("sysctl", j.step.name);
    if (e.fields.count("value")) j.eq(j.step.args.at("name") + " reads", j.expected("value"), s.get("value"));
}

}  // namespace conformance::rules
