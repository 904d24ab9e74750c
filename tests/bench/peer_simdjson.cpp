// peer_simdjson.cpp - a peer of pytriage in the benchmark (bench.sh): the
// same job on a collector report (`pytest --json=PATH`) with simdjson's
// On-Demand API.  Not part of pytriage itself.
//
// The job: the last `result` of each node ID (scope + "::" + name, or name
// alone when scope is ""); print, one per line, the node IDs whose last
// result is "failed", each once, in the order of their first record.  A
// record without `result` is not failed.
//
// Usage: peer_simdjson [-m] REPORT     (peer_simdjson -V: versions)
//   REPORT is read whole into a padded buffer (padded_string::load), or
//   with -m mapped with a zero page after it for simdjson's padding.
//
// Built by bench.sh with `c++ -O3 -march=native` and the flags of the
// installed simdjson (pkg-config simdjson): On-Demand's code is compiled
// into this program for the implementation the compiler may assume
// (icelake or haswell with -march=native on such a CPU; without -march on
// x86-64, the scalar fallback), while the library picks the kernel of its
// structural stage at run time.  -V names both.
// Exits 0; 2 on a bad report or a read error.
#include <simdjson.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace simdjson;

// The implementation On-Demand's code in this program is compiled for.
#define STR2(x) #x
#define STR(x) STR2(x)
#define BUILTIN_NAME STR(SIMDJSON_BUILTIN_IMPLEMENTATION)

namespace {

// The file mapped read-only, followed by zeroed anonymous memory so that at
// least SIMDJSON_PADDING readable bytes follow its end.
struct mapped {
	const char *p = nullptr;
	size_t len = 0, cap = 0;
	bool open(const char *path)
	{
		int fd = ::open(path, O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0) {
			if (fd >= 0)
				::close(fd);
			return false;
		}
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		len = (size_t)st.st_size;
		cap = (len + SIMDJSON_PADDING + page - 1) / page * page;
		void *base = mmap(nullptr, cap, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED) {
			::close(fd);
			return false;
		}
		if (len > 0 && mmap(base, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
			int e = errno;
			munmap(base, cap);
			::close(fd);
			errno = e;
			return false;
		}
		::close(fd);
		p = static_cast<const char *>(base);
		return true;
	}
	~mapped()
	{
		if (p)
			munmap(const_cast<char *>(p), cap);
	}
};

} // namespace

int main(int argc, char **argv)
{
	bool use_mmap = false;
	int i = 1;
	if (argc == 2 && std::strcmp(argv[1], "-V") == 0) {
		std::printf("simdjson %d.%d.%d (On-Demand compiled for %s, structural stage %s)\n",
			    SIMDJSON_VERSION_MAJOR, SIMDJSON_VERSION_MINOR,
			    SIMDJSON_VERSION_REVISION, BUILTIN_NAME,
			    get_active_implementation()->name().c_str());
		return 0;
	}
	if (i < argc && std::strcmp(argv[i], "-m") == 0) {
		use_mmap = true;
		i++;
	}
	if (i + 1 != argc) {
		std::fputs("usage: peer_simdjson [-m] REPORT\n", stderr);
		return 2;
	}
	const char *path = argv[i];

	padded_string loaded;
	mapped map;
	padded_string_view view;
	if (use_mmap) {
		if (!map.open(path)) {
			std::fprintf(stderr, "peer_simdjson: %s: %s\n", path, std::strerror(errno));
			return 2;
		}
		view = padded_string_view(map.p, map.len, map.cap);
	} else {
		auto err = padded_string::load(path).get(loaded);
		if (err) {
			std::fprintf(stderr, "peer_simdjson: %s: %s\n", path, error_message(err));
			return 2;
		}
		view = padded_string_view(loaded);
	}

	std::unordered_map<std::string, size_t> index; // node ID -> its place
	std::vector<const std::string *> ids;          // node IDs, first-record order
	std::vector<char> failed;                      // last result was "failed"
	std::string key;
	try {
		ondemand::parser parser;
		ondemand::document doc = parser.iterate(view);
		for (ondemand::object rec : doc.get_array()) {
			std::string_view scope = rec["scope"].get_string();
			std::string_view name = rec["name"].get_string();
			bool fail = false;
			auto result = rec["result"];
			if (result.error() != NO_SUCH_FIELD)
				fail = std::string_view(result.get_string()) == "failed";
			key.assign(scope);
			if (!scope.empty())
				key += "::";
			key += name;
			auto it = index.find(key);
			if (it == index.end()) {
				it = index.emplace(key, ids.size()).first;
				ids.push_back(&it->first);
				failed.push_back(fail);
			} else {
				failed[it->second] = fail;
			}
		}
	} catch (const simdjson_error &e) {
		std::fprintf(stderr, "peer_simdjson: %s: %s\n", path, e.what());
		return 2;
	}

	std::string out;
	for (size_t k = 0; k < ids.size(); k++) {
		if (failed[k]) {
			out += *ids[k];
			out += '\n';
		}
	}
	if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
		std::perror("peer_simdjson: write");
		return 2;
	}
	return 0;
}
