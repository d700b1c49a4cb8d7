// Campaigns, agreement, audit and privacy, run through the delineo command line as a user
// would.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "core/io/ImageIO.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string delineo(const std::string& args, int* status = nullptr) {
  std::string output;
  int rc = runCommand(std::string(DELINEO_EXE) + " " + args, &output);
  if (status) *status = rc;
  return output;
}

// The JSON document in a command's output (stderr lines may come before or after it).
json jsonOf(const std::string& output) {
  auto start = output.find_first_of("[{");
  auto end = output.find_last_of("]}");
  if (start == std::string::npos || end == std::string::npos || end < start) return json();
  return json::parse(output.substr(start, end - start + 1), nullptr, false);
}

void writeLines(const fs::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const auto& l : lines) out << l << "\n";
}

// A small CT volume on disk, and three annotators' labelmaps of it made through `apply`.
struct Study {
  fs::path dir;
  std::string volume;
};

Study makeStudy(const std::string& name) {
  Study s;
  s.dir = scratchDir(name);
  core::Geometry g;
  g.dims = {40, 40, 24};
  g.spacingMm = {1, 1, 2};
  core::Volume v(g, core::ScalarType::Int16);
  s.volume = (s.dir / "ct.nrrd").string();
  EXPECT_TRUE(io::writeVolume(v, s.volume).ok());
  return s;
}

std::string annotate(const Study& s, const std::string& who, double radiusMm, const std::string& review = "") {
  std::string labels = (s.dir / (who + ".seg.nrrd")).string();
  std::vector<std::string> ops{R"({"tool":"label.add","name":"Liver"})",
                               R"({"tool":"brush","center_mm":[20,20,24],"radius_mm":)" + std::to_string(radiusMm) +
                                   R"(,"label":"Liver"})"};
  if (!review.empty()) ops.push_back(R"({"tool":"label.review","label":"Liver","state":")" + review + R"("})");
  writeLines(s.dir / (who + ".jsonl"), ops);
  int status = -1;
  std::string out = delineo("apply " + s.volume + " --labels " + labels + " --ops " + (s.dir / (who + ".jsonl")).string() +
                                " --annotator " + who,
                            &status);
  EXPECT_EQ(status, 0) << out;
  return labels;
}

TEST(Agree, ThreeAnnotatorsWithKnownDisagreementGiveTheExpectedMatrix) {
  auto s = makeStudy("AgreeMatrix");
  auto a = annotate(s, "alice", 8);
  auto b = annotate(s, "bob", 8);
  auto c = annotate(s, "carol", 6);
  int status = -1;
  std::string consensus = (s.dir / "consensus.seg.nrrd").string();
  std::string out = delineo("agree --json " + s.volume + " " + a + " " + b + " " + c + " --consensus " + consensus, &status);
  ASSERT_EQ(status, 0) << out;
  json j = jsonOf(out);
  ASSERT_EQ(j["labels"].size(), 1u) << out;
  const auto& dice = j["labels"][0]["dice"];
  EXPECT_DOUBLE_EQ(dice[0][1].get<double>(), 1.0);  // alice and bob drew the same ball
  EXPECT_LT(dice[0][2].get<double>(), 0.8);         // carol's is smaller
  EXPECT_DOUBLE_EQ(dice[0][2].get<double>(), dice[1][2].get<double>());
  EXPECT_DOUBLE_EQ(dice[2][0].get<double>(), dice[0][2].get<double>());
  EXPECT_GT(j["labels"][0]["hausdorff95_mm"][0][2].get<double>(), 1.5);
  EXPECT_NEAR(j["labels"][0]["staple"][0]["sensitivity"].get<double>(), 1.0, 1e-6);
  EXPECT_LT(j["labels"][0]["staple"][2]["sensitivity"].get<double>(), 0.7);
  // The consensus follows the two who agree.
  auto cons = io::readLabelmap(consensus);
  auto ref = io::readLabelmap(a);
  ASSERT_TRUE(cons.ok() && ref.ok());
  EXPECT_TRUE(std::equal(ref->voxels().begin(), ref->voxels().end(), cons->voxels().begin()));
}

TEST(Agree, AnAnnotationOnAnotherGridIsAClearError) {
  auto s = makeStudy("AgreeMismatch");
  auto a = annotate(s, "alice", 5);
  core::Geometry g;
  g.dims = {40, 40, 23};
  std::string other = (s.dir / "other.nii.gz").string();
  ASSERT_TRUE(io::writeLabelmap(core::Labelmap(g), other).ok());
  int status = -1;
  std::string out = delineo("agree " + s.volume + " " + a + " " + other, &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(out.find("other.nii.gz"), std::string::npos) << out;
  EXPECT_NE(out.find("dims"), std::string::npos) << out;
}

TEST(Audit, CommandListsWhoWhenWhichToolAndLabel) {
  auto s = makeStudy("AuditCli");
  auto a = annotate(s, "alice", 5);
  int status = -1;
  std::string out = delineo("audit --json " + a, &status);
  ASSERT_EQ(status, 0) << out;
  json j = jsonOf(out);
  ASSERT_GE(j.size(), 4u) << out;  // base, label.add, brush, save
  bool sawBrush = false;
  for (const auto& e : j) {
    if (e["tool"] != "brush") continue;
    sawBrush = true;
    EXPECT_EQ(e["annotator"], "alice");
    EXPECT_EQ(e["labels"][0]["name"], "Liver");
    EXPECT_GT(e["voxels_changed"].get<int>(), 0);
    EXPECT_EQ(e["time"].get<std::string>().size(), 20u);  // 2026-11-27T03:00:00Z
  }
  EXPECT_TRUE(sawBrush);
  std::string csv = delineo("audit --csv " + a, &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(csv.rfind("time,annotator,action,tool,name,labels,voxels_changed", 0), 0u) << csv;
}

TEST(Campaign, StatusFollowsTheLabelmapsAndBadCasesDoNotStopTheRest) {
  auto s = makeStudy("CampaignStatus");
  annotate(s, "alice", 5, "approved");
  annotate(s, "bob", 5, "submitted");
  fs::create_directories(s.dir / "case-1");
  fs::rename(s.dir / "alice.seg.nrrd", s.dir / "case-1" / "alice.seg.nrrd");
  fs::rename(s.dir / "alice.seg.nrrd.journal", s.dir / "case-1" / "alice.seg.nrrd.journal");
  fs::rename(s.dir / "bob.seg.nrrd", s.dir / "case-1" / "bob.seg.nrrd");
  json campaign{{"name", "Liver pilot"},
                {"labels", {{{"id", 1}, {"name", "Liver"}, {"rgba", {200, 100, 80, 255}}}}},
                {"annotators", {"alice", "bob", "carol"}},
                {"layout", "{case}/{annotator}.seg.nrrd"},
                {"cases",
                 {{{"id", "case-1"}, {"volume", "ct.nrrd"}, {"assignees", {"alice", "bob"}}},
                  {{"id", "case-2"}, {"volume", "ct.nrrd"}, {"assignees", {"carol"}}},
                  {{"id", "case-3"}, {"volume", "missing/ct.nrrd"}, {"assignees", {"carol"}}},
                  {{"id", "case-4"}, {"volume", "ct.nrrd"}, {"assignees", {"mallory"}}}}}};
  const std::string file = (s.dir / "campaign.json").string();
  std::ofstream(file) << campaign.dump(2);
  int status = -1;
  std::string out = delineo("campaign status --json " + file, &status);
  ASSERT_EQ(status, 0) << out;
  json j = jsonOf(out);
  ASSERT_EQ(j["assignments"].size(), 5u) << out;
  EXPECT_EQ(j["assignments"][0]["status"], "approved");
  EXPECT_EQ(j["assignments"][1]["status"], "submitted");
  EXPECT_EQ(j["assignments"][2]["status"], "not started");
  EXPECT_NE(j["assignments"][3]["problems"][0].get<std::string>().find("study not found"), std::string::npos);
  EXPECT_NE(j["assignments"][4]["problems"][0].get<std::string>().find("not one of the campaign's annotators"),
            std::string::npos);
  // Carol's next case is the one whose study exists.
  out = delineo("campaign next --json " + file + " --annotator carol", &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(jsonOf(out)["case"], "case-2");
  out = delineo("campaign next " + file + " --annotator alice", &status);
  EXPECT_EQ(status, 2) << "alice's only case is approved: " << out;
}

// Every byte we write by default, decompressed where it is gzip.
std::string contentOf(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), {});
  gzFile gz = gzopen(p.c_str(), "rb");  // reads plain files as they are
  std::string inflated;
  if (gz) {
    char buffer[65536];
    int n;
    while ((n = gzread(gz, buffer, sizeof buffer)) > 0) inflated.append(buffer, static_cast<std::size_t>(n));
    gzclose(gz);
  }
  return raw + "\n" + inflated;
}

TEST(Privacy, NothingWeWriteByDefaultCarriesPatientIdentity) {
  auto dir = scratchDir("PrivacyScan");
  PhantomSpec spec;
  spec.geometry = obliquePhantomGeometry();
  spec.stored = defaultPhantomValue;
  auto series = writePhantomSeries(spec, dir / "dicom");
  const std::string src = (dir / "dicom").string();
  const fs::path out = dir / "out";
  fs::create_directories(out);
  auto o = [&](const std::string& name) { return (out / name).string(); };
  const core::Vec3 c = spec.geometry.ijkToPatient({12, 10, 6});
  const std::string centre = "[" + std::to_string(c.x) + "," + std::to_string(c.y) + "," + std::to_string(c.z) + "]";
  writeLines(dir / "ops.jsonl", {R"({"tool":"label.add","name":"Lesion"})",
                                 R"({"tool":"brush","points_mm":[)" + centre + "," + centre + R"(],"radius_mm":4,"label":1})"});
  std::string log;
  for (const std::string& args :
       {"info " + src, "info --json " + src, "convert " + src + " " + o("ct.nii.gz"), "convert " + src + " " + o("ct.nrrd"),
        "convert " + src + " " + o("ct.mha"), "convert " + src + " " + o("ct.nhdr"), "convert " + src + " " + o("ct.mhd"),
        "apply " + src + " --labels " + o("seg.seg.nrrd") + " --ops " + (dir / "ops.jsonl").string() + " --verbose",
        "apply " + src + " --labels " + o("seg.nii.gz") + " --ops " + (dir / "ops.jsonl").string(),
        "stats --json " + src + " " + o("seg.seg.nrrd"), "stats --csv " + src + " " + o("seg.nii.gz"),
        "audit --json " + o("seg.seg.nrrd"), "audit --csv " + o("seg.nii.gz"),
        "replay " + o("seg.seg.nrrd.journal") + " --volume " + src + " --out " + o("replayed.mha"),
        "compare --json " + o("seg.seg.nrrd") + " " + o("seg.nii.gz"),
        "agree --json " + src + " " + o("seg.seg.nrrd") + " " + o("seg.nii.gz") + " --consensus " + o("consensus.nrrd"),
        "render " + src + " --size 64x64 --out " + o("render.png")}) {
    int status = -1;
    std::string text = delineo(args, &status);
    EXPECT_EQ(status, 0) << args << "\n" << text;
    log += text;
  }
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    ++files;
    std::string content = contentOf(e.path());
    for (const std::string& secret : {spec.patientName, std::string("Secret"), spec.patientId, spec.patientBirthDate,
                                      spec.accessionNumber})
      EXPECT_EQ(content.find(secret), std::string::npos) << e.path() << " contains '" << secret << "'";
  }
  EXPECT_GE(files, 15u) << "every format was written";
  for (const std::string& secret : {spec.patientName, std::string("Secret"), spec.patientId, spec.patientBirthDate})
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log contains '" << secret << "'";
}

}  // namespace
}  // namespace delineo::test
