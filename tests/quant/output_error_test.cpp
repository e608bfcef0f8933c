#include "quant/output_error.h"

#include <gtest/gtest.h>

#include <random>
#include <span>
#include <vector>

namespace edgeport {
namespace {

// A symmetric K x K second moment (with a mean), from random patches.
LayerStatistics random_statistics(std::int64_t k, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<double> normal;
  LayerStatistics statistics;
  statistics.patch_size = k;
  statistics.samples = 1;
  statistics.mean.assign(1, std::vector<double>(static_cast<std::size_t>(k)));
  statistics.second_moment.assign(1, std::vector<double>(static_cast<std::size_t>(k * k), 0.0));
  std::vector<double>& h = statistics.second_moment[0];
  for (double& value : statistics.mean[0]) value = normal(generator);
  for (int patch = 0; patch < 3; ++patch) {
    std::vector<double> x(static_cast<std::size_t>(k));
    for (double& value : x) value = normal(generator);
    for (std::int64_t i = 0; i < k; ++i) {
      for (std::int64_t j = 0; j < k; ++j) h[static_cast<std::size_t>(i * k + j)] += x[i] * x[j];
    }
  }
  return statistics;
}

std::vector<std::vector<double>> random_vectors(std::size_t count, std::int64_t k, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> vectors(count, std::vector<double>(static_cast<std::size_t>(k)));
  for (std::vector<double>& vector : vectors) {
    for (double& value : vector) value = normal(generator);
  }
  return vectors;
}

// The batched forms read M once for several vectors; each result must be the
// single-vector form's bits, whatever the batch and the length (lengths below,
// at and across the 32-lane blocks of the sums).
TEST(OutputErrorMetric, BatchedFormsGiveEachVectorsOwnBits) {
  for (std::int64_t k : {5, 32, 45, 97}) {
    const LayerStatistics statistics = random_statistics(k, static_cast<unsigned>(k));
    for (bool remove_mean : {false, true}) {
      const OutputErrorMetric metric(statistics, 0, remove_mean);
      for (std::size_t count : {1u, 3u, 4u, 9u, 17u}) {
        const std::vector<std::vector<double>> vectors = random_vectors(count, k, static_cast<unsigned>(count));
        std::vector<std::span<const double>> spans(vectors.begin(), vectors.end());
        const std::vector<double> energies = metric.energies(spans);
        const std::vector<std::vector<double>> products = metric.times(spans);
        ASSERT_EQ(energies.size(), count);
        ASSERT_EQ(products.size(), count);
        for (std::size_t v = 0; v < count; ++v) {
          EXPECT_EQ(energies[v], metric.energy(vectors[v])) << "K " << k << ", vector " << v << " of " << count;
          EXPECT_EQ(products[v], metric.times(vectors[v])) << "K " << k << ", vector " << v << " of " << count;
        }
      }
    }
  }
}

}  // namespace
}  // namespace edgeport
