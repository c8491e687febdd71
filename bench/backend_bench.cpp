// Backend throughput and latency (issue 6), against a local S3-compatible server:
//   - S3 upload and download MB/s with 1, 4 and 16 transfers in parallel;
//   - read latency through the cache backend on a hit and on a miss (whole object and a
//     4 KiB range, the B-tree's access pattern);
//   - the directory backend's durable write and read MB/s, for scale.
// Usage: backend_bench [--objects N] [--endpoint URL]   (default endpoint: $INFINITREE_S3_ENDPOINT)
// scripts/s3/run-backend-bench.sh starts moto, runs this and stops moto.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/s3_client.hpp"
#include "crypto/random.hpp"
#include "infinitree/backend.hpp"
#include "util/bytes.hpp"
#include "util/parallel_for.hpp"

using namespace infinitree;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double mib_per_s(size_t objects, double secs) {
  return static_cast<double>(objects) * kObjectSize / (1024.0 * 1024.0) / secs;
}

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2] * 1000.0;
}

// Reads every id once with `threads` readers splitting the list.
double parallel_read(Backend& b, const std::vector<ObjectId>& ids, int threads) {
  auto t0 = Clock::now();
  util::parallel_for(ids.size(), static_cast<unsigned>(threads), [&](size_t i) {
    if (b.read_object(ids[i])->size() != kObjectSize) std::abort();
  });
  return seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  size_t objects = 32;
  std::string endpoint = std::getenv("INFINITREE_S3_ENDPOINT") ? std::getenv("INFINITREE_S3_ENDPOINT") : "";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--objects" && i + 1 < argc) objects = std::stoul(argv[++i]);
    else if (a == "--endpoint" && i + 1 < argc) endpoint = argv[++i];
    else {
      std::fprintf(stderr, "usage: backend_bench [--objects N] [--endpoint URL]\n");
      return 2;
    }
  }
  if (endpoint.empty()) {
    std::fprintf(stderr, "no S3 endpoint: set INFINITREE_S3_ENDPOINT or pass --endpoint "
                         "(scripts/s3/run-backend-bench.sh starts moto for you)\n");
    return 2;
  }
  if (!std::getenv("AWS_ACCESS_KEY_ID")) ::setenv("AWS_ACCESS_KEY_ID", "bench", 1);
  if (!std::getenv("AWS_SECRET_ACCESS_KEY")) ::setenv("AWS_SECRET_ACCESS_KEY", "bench", 1);

  S3Options base;
  base.endpoint = endpoint;
  base.addressing = S3Options::Addressing::path_style;
  base.bucket = "it-bench-" + hex_encode(crypto::random_bytes(6));
  s3::Client admin(base);
  admin.create_bucket();

  // Random (incompressible) objects, as the store sees them.
  std::vector<std::vector<uint8_t>> data;
  for (size_t i = 0; i < std::min<size_t>(objects, 8); ++i) data.push_back(crypto::random_bytes(kObjectSize));

  std::printf("backend_bench: %zu objects of 4 MiB per run, S3 at %s\n", objects, endpoint.c_str());
  std::printf("%-34s %12s\n", "measurement", "result");
  std::vector<ObjectId> last_ids;
  for (int parallel : {1, 4, 16}) {
    S3Options o = base;
    o.parallel_uploads = parallel;
    o.prefix = "p" + std::to_string(parallel);
    auto b = make_s3_backend(o);
    std::vector<ObjectId> ids;
    auto t0 = Clock::now();
    for (size_t i = 0; i < objects; ++i) {
      ids.push_back(ObjectId::random());
      b->write_object(ids.back(), data[i % data.size()]);
    }
    b->sync();
    double up = seconds_since(t0);
    double down = parallel_read(*b, ids, parallel);
    std::printf("S3 upload,   %2d parallel %15.1f MiB/s\n", parallel, mib_per_s(objects, up));
    std::printf("S3 download, %2d parallel %15.1f MiB/s\n", parallel, mib_per_s(objects, down));
    last_ids = ids;
  }

  // Cache: first reads are misses (fetched from S3 and stored), second reads hit.
  {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("it-bench-cache-" + hex_encode(crypto::random_bytes(4)));
    S3Options o = base;
    o.prefix = "p16";
    auto cache = make_cache_backend(make_s3_backend(o), dir, (objects + 1) * kObjectSize);
    size_t n = std::min<size_t>(objects, 16);
    std::vector<double> miss, hit, range_hit;
    for (size_t i = 0; i < n; ++i) {
      auto t0 = Clock::now();
      cache->read_object(last_ids[i]);
      miss.push_back(seconds_since(t0));
    }
    for (size_t i = 0; i < n; ++i) {
      auto t0 = Clock::now();
      cache->read_object(last_ids[i]);
      hit.push_back(seconds_since(t0));
    }
    for (size_t i = 0; i < n * 16; ++i) {
      auto t0 = Clock::now();
      cache->read_range(last_ids[i % n], (i * 65536) % (kObjectSize - 4096), 4096);
      range_hit.push_back(seconds_since(t0));
    }
    std::vector<double> range_miss;
    auto direct = make_s3_backend(o);
    for (size_t i = 0; i < n; ++i) {
      auto t0 = Clock::now();
      direct->read_range(last_ids[i], 8192, 4096);
      range_miss.push_back(seconds_since(t0));
    }
    std::printf("cache miss, 4 MiB object (median) %9.2f ms\n", median_ms(miss));
    std::printf("cache hit,  4 MiB object (median) %9.2f ms\n", median_ms(hit));
    std::printf("cache hit,  4 KiB range (median)  %9.3f ms\n", median_ms(range_hit));
    std::printf("S3 direct,  4 KiB range (median)  %9.2f ms\n", median_ms(range_miss));
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  // The directory backend, durable (fsync per object), for comparison.
  {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("it-bench-dir-" + hex_encode(crypto::random_bytes(4)));
    auto d = make_directory_backend(dir);
    std::vector<ObjectId> ids;
    auto t0 = Clock::now();
    for (size_t i = 0; i < objects; ++i) {
      ids.push_back(ObjectId::random());
      d->write_object(ids.back(), data[i % data.size()]);
    }
    double w = seconds_since(t0);
    double r = parallel_read(*d, ids, 1);
    std::printf("directory write (fsync), 1 thread %9.1f MiB/s\n", mib_per_s(objects, w));
    std::printf("directory read, 1 thread          %9.1f MiB/s\n", mib_per_s(objects, r));
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  for (const auto& k : admin.list("")) admin.remove(k);
  admin.delete_bucket();
  return 0;
}
