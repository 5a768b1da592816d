package io.modelwork.provider.lightgbm;

import com.microsoft.ml.lightgbm.*;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.modelwork.core.ModelworkException;

/**
 * Predicts through LightGBM's C API directly. Written by hand because lightgbm4j 4.1.0-1's {@code predictForMat}
 * allocates an output buffer of {@code 2 * rows} doubles, which a multiclass model ({@code K > 2} values per row)
 * overruns, crashing the JVM; here the buffer is sized {@code rows * K}.
 */
public final class NativePredict {
    private NativePredict() {}

    /** Row-major predictions, {@code rows * perRow} values (probabilities for classifiers). */
    public static double[] predict(String modelText, float[] x, int rows, int cols, int perRow) {
        try {
            LGBMBooster.loadNative();
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot load LightGBM's native library: " + e.getMessage(), "lightgbm4j",
                    "check that the platform is linux/x86_64 or aarch64");
        }
        SWIGTYPE_p_p_void handle = lightgbmlib.new_voidpp();
        SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
        SWIGTYPE_p_float data = lightgbmlib.new_floatArray((long) rows * cols);
        SWIGTYPE_p_long_long outLen = lightgbmlib.new_int64_tp();
        SWIGTYPE_p_double out = lightgbmlib.new_doubleArray((long) rows * perRow);
        try {
            check(lightgbmlib.LGBM_BoosterLoadModelFromString(modelText, iterations, handle));
            SWIGTYPE_p_void booster = lightgbmlib.voidpp_value(handle);
            try {
                for (int i = 0; i < x.length; i++) lightgbmlib.floatArray_setitem(data, i, x[i]);
                check(lightgbmlib.LGBM_BoosterPredictForMat(booster, lightgbmlib.float_to_voidp_ptr(data),
                        lightgbmlibConstants.C_API_DTYPE_FLOAT32, rows, cols, 1,
                        lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1, "", outLen, out));
                long n = lightgbmlib.int64_tp_value(outLen);
                if (n != (long) rows * perRow)
                    throw new IllegalStateException("LightGBM returned " + n + " values, expected " + (long) rows * perRow);
                double[] result = new double[(int) n];
                for (int i = 0; i < n; i++) result[i] = lightgbmlib.doubleArray_getitem(out, i);
                return result;
            } finally {
                lightgbmlib.LGBM_BoosterFree(booster);
            }
        } finally {
            lightgbmlib.delete_voidpp(handle);
            lightgbmlib.delete_intp(iterations);
            lightgbmlib.delete_floatArray(data);
            lightgbmlib.delete_int64_tp(outLen);
            lightgbmlib.delete_doubleArray(out);
        }
    }

    private static void check(int rc) {
        if (rc != 0) throw new ModelworkException("LightGBM failed: " + lightgbmlib.LGBM_GetLastError(), "LightGBM C API",
                "check the model and the input width");
    }
}
