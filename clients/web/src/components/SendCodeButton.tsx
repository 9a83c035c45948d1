import { useEffect, useRef, useState } from "react";
import { App, Button } from "antd";
import { Code } from "@connectrpc/connect";
import { identityClient } from "../api/client";
import { parseError, type ApiError } from "../api/errors";
import type { ContactAddress } from "../gen/b2btrade/common/v1/types_pb";
import type { VerificationPurpose } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { useI18n } from "../i18n";

interface Props {
  purpose: VerificationPurpose;
  /** Validates the address field(s) and returns the address, or null when invalid. */
  getAddress: () => Promise<ContactAddress | null>;
  /** Called with server errors (e.g. to put field violations next to the address field). */
  onError?: (e: ApiError) => void;
  /** data-testid of the button. */
  testId?: string;
}

/** "获取验证码" with the countdown the server asks for (resend_after_seconds, 60 s by default). */
export function SendCodeButton({ purpose, getAddress, onError, testId = "send-code" }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [left, setLeft] = useState(0);
  const [sending, setSending] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearInterval(timer.current), []);

  const start = (seconds: number) => {
    window.clearInterval(timer.current);
    setLeft(seconds);
    timer.current = window.setInterval(() => {
      setLeft((s) => {
        if (s <= 1) {
          window.clearInterval(timer.current);
          return 0;
        }
        return s - 1;
      });
    }, 1000);
  };

  const send = async () => {
    const address = await getAddress();
    if (!address) return;
    setSending(true);
    try {
      const res = await identityClient.sendVerificationCode({ address, purpose });
      start(res.resendAfterSeconds > 0 ? res.resendAfterSeconds : 60);
      message.success(t("auth.codeSent", { min: Math.max(1, Math.round((res.expiresInSeconds || 300) / 60)) }));
    } catch (e) {
      const err = parseError(e);
      if (err.code === Code.ResourceExhausted && err.retryAfterSeconds) start(err.retryAfterSeconds);
      if (onError) onError(err);
      if (!onError || err.fieldViolations.length === 0) message.error(err.message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Button data-testid={testId} onClick={send} loading={sending} disabled={left > 0} style={{ minWidth: 128 }}>
      {left > 0 ? t("auth.resendIn", { s: left }) : t("auth.sendCode")}
    </Button>
  );
}
