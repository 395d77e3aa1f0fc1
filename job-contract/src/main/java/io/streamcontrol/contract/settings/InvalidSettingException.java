package io.streamcontrol.contract.settings;

/** A setting that is missing, malformed or out of range; the message names the setting. */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String setting;

    public InvalidSettingException(String setting, String problem) {
        super("invalid setting --" + setting + ": " + problem);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
