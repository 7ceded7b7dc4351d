package org.steno.models.asr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the pocketsphinx model is: acoustic model directory ({@code -hmm}), language model
 * ({@code -lm}) and pronunciation dictionary ({@code -dict}). Defaults are Debian's
 * {@code pocketsphinx-en-us} package.
 */
public record AsrModelPaths(Path acousticModel, Path languageModel, Path dictionary) {

    public static final Path DEBIAN_MODEL_DIR = Path.of("/usr/share/pocketsphinx/model/en-us");

    /** Files the acoustic model directory must hold; a missing one makes sphinx call exit(). */
    static final List<String> ACOUSTIC_MODEL_FILES = List.of("mdef", "means", "variances", "transition_matrices",
            "feat.params", "noisedict");

    public AsrModelPaths {
        if (acousticModel == null || languageModel == null || dictionary == null) {
            // A decoder without a language model has no search: ps_start_utt fails and
            // ps_get_hyp then segfaults. We never build one.
            throw new IllegalArgumentException("acoustic model, language model and dictionary are all required");
        }
    }

    public static AsrModelPaths debianEnUs() {
        return inDirectory(DEBIAN_MODEL_DIR);
    }

    /** The layout of pocketsphinx-en-us: {@code dir/en-us}, {@code dir/en-us.lm.bin}, {@code dir/cmudict-en-us.dict}. */
    public static AsrModelPaths inDirectory(Path dir) {
        return new AsrModelPaths(dir.resolve("en-us"), dir.resolve("en-us.lm.bin"), dir.resolve("cmudict-en-us.dict"));
    }

    /** Problems a person can fix, one sentence each; empty when every file is in place. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(acousticModel)) {
            out.add("acoustic model directory " + acousticModel + " does not exist");
        } else {
            for (String f : ACOUSTIC_MODEL_FILES) {
                if (!nonEmptyFile(acousticModel.resolve(f))) {
                    out.add("acoustic model file " + acousticModel.resolve(f) + " is missing or empty");
                }
            }
        }
        if (!nonEmptyFile(languageModel)) {
            out.add("language model " + languageModel + " is missing or empty");
        }
        if (!nonEmptyFile(dictionary)) {
            out.add("dictionary " + dictionary + " is missing or empty");
        }
        return out;
    }

    private static boolean nonEmptyFile(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
