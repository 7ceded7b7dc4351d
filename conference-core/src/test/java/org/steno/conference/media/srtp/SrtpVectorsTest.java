package org.steno.conference.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Published vectors: RFC 3711 Appendix B.2 and B.3, RFC 7714 §16.1. */
class SrtpVectorsTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc3711_B2_aesCmKeystream() throws Exception {
        byte[] sessionKey = hex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] sessionSalt = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        byte[] iv = SrtpContext.cmIv(sessionSalt, 0, 0);
        assertThat(iv).isEqualTo(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"));
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new IvParameterSpec(iv));
        byte[] keystream = aes.doFinal(new byte[48]);
        assertThat(keystream).isEqualTo(hex("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0"));
    }

    @Test
    void rfc3711_B3_keyDerivation() {
        byte[] masterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertThat(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16))
                .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14))
                .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
        assertThat(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, 20))
                .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
    }

    static final byte[] GCM_KEY = hex("000102030405060708090a0b0c0d0e0f");
    static final byte[] GCM_SALT = hex("517569642070726f2071756f");
    static final byte[] GCM_PLAIN = hex("8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
    static final byte[] GCM_PROTECTED = hex("8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce");

    @Test
    void rfc7714_16_1_1_aeadAes128GcmEncryption() {
        SrtpContext ctx = SrtpContext.forSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
        assertThat(ctx.gcmRtpIv(0x5501a0b2L, 0xf17b)).isEqualTo(hex("51753c6580c2726f20718414"));
        assertThat(ctx.protectRtp(GCM_PLAIN, 0, GCM_PLAIN.length)).isEqualTo(GCM_PROTECTED);
    }

    @Test
    void rfc7714_16_1_2_aeadAes128GcmDecryptionAndTagCheck() {
        SrtpContext ctx = SrtpContext.forSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
        byte[] b = GCM_PROTECTED.clone();
        int n = ctx.unprotectRtp(b, 0, b.length);
        assertThat(Arrays.copyOf(b, n)).isEqualTo(GCM_PLAIN);

        SrtpContext fresh = SrtpContext.forSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
        byte[] tampered = GCM_PROTECTED.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(fresh.unprotectRtp(tampered, 0, tampered.length)).isEqualTo(SrtpContext.AUTH_FAILED);
    }
}
