// Atomic writes: the user's file is either the old bytes or the new bytes, never a mix, and
// no temporary files are left behind.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "tests/unit/TestSupport.h"

namespace delineo::io {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> folderEntries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, CompoundExtensionsAreLowerCased) {
  EXPECT_EQ(fileExtension("/a/b/Brain.NII.GZ"), ".nii.gz");
  EXPECT_EQ(fileExtension("liver.seg.nrrd"), ".seg.nrrd");
  EXPECT_EQ(fileExtension("liver.nrrd"), ".nrrd");
  EXPECT_EQ(fileExtension("ct.v2.nhdr"), ".nhdr");
  EXPECT_EQ(fileExtension("x.mha"), ".mha");
  EXPECT_EQ(fileExtension("x.mhd"), ".mhd");
  EXPECT_EQ(fileExtension("x.nii"), ".nii");
  EXPECT_EQ(fileExtension("Cranium.inv3"), ".inv3");
  EXPECT_EQ(fileExtension("notes.txt"), ".txt");
  EXPECT_EQ(fileExtension("case.labels.txt"), ".labels.txt");
  EXPECT_EQ(fileExtension("scan.2023.gz"), ".gz");
  EXPECT_EQ(fileExtension("/dir.d/README"), "");
  EXPECT_EQ(fileExtension(".hidden"), "");
}

TEST(AtomicFile, TemporaryFileKeepsTheFolderAndCompoundExtension) {
  std::string temp = temporaryPathFor("/data/case 1/liver.seg.nrrd");
  EXPECT_EQ(fs::path(temp).parent_path(), fs::path("/data/case 1"));
  EXPECT_EQ(fileExtension(temp), ".seg.nrrd");
  EXPECT_NE(temp, temporaryPathFor("/data/case 1/liver.seg.nrrd"));
  EXPECT_EQ(fileExtension(temporaryPathFor("brain.nii.gz")), ".nii.gz");
}

TEST(AtomicFile, WritesNewAndReplacesExistingFiles) {
  auto dir = test::scratchDir("AtomicFile.WritesNewAndReplacesExistingFiles");
  fs::path target = dir / "a.txt";
  ASSERT_TRUE(writeFileAtomically(target.string(), "first").ok());
  EXPECT_EQ(readAll(target), "first");
  ASSERT_TRUE(writeFileAtomically(target.string(), "second, longer").ok());
  EXPECT_EQ(readAll(target), "second, longer");
  EXPECT_EQ(folderEntries(dir), std::vector<std::string>{"a.txt"});
}

TEST(AtomicFile, AFailingWriteLeavesTheOldFileByteIdenticalAndNoTemporaryFile) {
  auto dir = test::scratchDir("AtomicFile.AFailingWrite");
  fs::path target = dir / "brain.nii.gz";
  std::string original("\x1f\x8b old content \0 with a zero", 28);
  {
    std::ofstream out(target, std::ios::binary);
    out << original;
  }
  std::string seenTemp;
  auto result = writeAtomically(target.string(), [&](const std::string& temp) -> core::Result<void> {
    seenTemp = temp;
    std::ofstream out(temp, std::ios::binary);
    out << "half written";  // the writer got this far, then failed
    return core::makeError(target.string() + ": disk full (simulated)");
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.message(), target.string() + ": disk full (simulated)");
  EXPECT_EQ(fileExtension(seenTemp), ".nii.gz");
  EXPECT_EQ(fs::path(seenTemp).parent_path(), dir);
  EXPECT_EQ(readAll(target), original);
  EXPECT_EQ(folderEntries(dir), std::vector<std::string>{"brain.nii.gz"});
}

TEST(AtomicFile, AWriterThatProducesNothingIsAnError) {
  auto dir = test::scratchDir("AtomicFile.AWriterThatProducesNothing");
  fs::path target = dir / "x.nrrd";
  auto result = writeAtomically(target.string(), [&](const std::string& temp) -> core::Result<void> {
    fs::remove(temp);
    return {};
  });
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.message().find("x.nrrd"), std::string::npos);
  EXPECT_TRUE(folderEntries(dir).empty());
}

TEST(AtomicFile, KeepsThePermissionsOfTheReplacedFile) {
  auto dir = test::scratchDir("AtomicFile.KeepsPermissions");
  fs::path target = dir / "shared.txt";
  ASSERT_TRUE(writeFileAtomically(target.string(), "v1").ok());
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                              fs::perms::group_write);
  ASSERT_TRUE(writeFileAtomically(target.string(), "v2").ok());
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::group_write);
}

TEST(AtomicFile, ASymbolicLinkStaysALinkAndItsTargetIsReplaced) {
  auto dir = test::scratchDir("AtomicFile.SymbolicLink");
  ASSERT_TRUE(writeFileAtomically((dir / "real.txt").string(), "old").ok());
  fs::create_symlink("real.txt", dir / "link.txt");
  ASSERT_TRUE(writeFileAtomically((dir / "link.txt").string(), "new").ok());
  EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
  EXPECT_EQ(readAll(dir / "real.txt"), "new");
  EXPECT_EQ(folderEntries(dir), (std::vector<std::string>{"link.txt", "real.txt"}));
}

TEST(AtomicFile, MissingFolderIsReportedWithThePath) {
  auto dir = test::scratchDir("AtomicFile.MissingFolder");
  std::string target = (dir / "no" / "such" / "x.txt").string();
  auto result = writeFileAtomically(target, "x");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.message().find(target), std::string::npos) << result.message();
}

TEST(AtomicFile, CompanionFilesMoveTogetherAndFailuresLeaveNothing) {
  auto dir = test::scratchDir("AtomicFile.CompanionFiles");
  fs::path header = dir / "ct.nhdr";
  auto ok = writeAtomicallyWithCompanions(header.string(), [&](const std::string& temp) -> core::Result<void> {
    EXPECT_EQ(fs::path(temp).filename(), "ct.nhdr");
    EXPECT_NE(fs::path(temp).parent_path(), dir);
    std::ofstream(temp) << "data file: ct.raw.gz\n";
    std::ofstream(fs::path(temp).parent_path() / "ct.raw.gz") << "DATA";
    return {};
  });
  ASSERT_TRUE(ok.ok()) << ok.message();
  EXPECT_EQ(folderEntries(dir), (std::vector<std::string>{"ct.nhdr", "ct.raw.gz"}));
  EXPECT_EQ(readAll(dir / "ct.raw.gz"), "DATA");

  auto failed = writeAtomicallyWithCompanions(header.string(), [&](const std::string& temp) -> core::Result<void> {
    std::ofstream(temp) << "new header";
    std::ofstream(fs::path(temp).parent_path() / "ct.raw.gz") << "NEW";
    return core::makeError("simulated failure");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(folderEntries(dir), (std::vector<std::string>{"ct.nhdr", "ct.raw.gz"}));
  EXPECT_EQ(readAll(dir / "ct.raw.gz"), "DATA");
  EXPECT_EQ(readAll(header), "data file: ct.raw.gz\n");
}

}  // namespace
}  // namespace delineo::io
