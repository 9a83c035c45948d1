import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { App, Button, Card, Input, Space, Tag, Upload } from "antd";
import { CheckOutlined, PaperClipOutlined, SendOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { negotiationClient } from "../../api/client";
import { parseError } from "../../api/errors";
import { LiveBadge } from "../../pages/catalog/CatalogSearch";
import { Side, type Message, type Thread } from "../../gen/b2btrade/negotiation/v1/negotiation_service_pb";
import { uploadFile } from "../../lib/files";
import { formatTime } from "../../lib/labels";
import { acceptableFile, formatBytes, isInlineImage, maxSequence } from "../../lib/negotiation";
import type { ThreadLive } from "../../lib/threadLive";
import { RequestIdFor } from "../../lib/requestId";
import { useI18n } from "../../i18n";
import { ACCEPT, FileLink, InlineImage, type UploadedFile } from "./Attachments";
import { SIDE_KEYS } from "./labels";

function MessageBubble({ m, mine, read }: { m: Message; mine: boolean; read: boolean }) {
  const { t } = useI18n();
  const a = m.attachment;
  return (
    <div className={`chat-row ${mine ? "chat-mine" : "chat-theirs"}`} data-testid="chat-message" data-sequence={String(m.sequence)} data-mine={mine ? "1" : "0"}>
      <div className="chat-meta">
        <span className="chat-sender" data-testid="chat-sender">
          {m.senderName}
        </span>
        <Tag className="chat-side">{t(SIDE_KEYS[m.senderSide] ?? "common.none")}</Tag>
        <span className="muted small">{formatTime(m.sendTime)}</span>
      </div>
      <div className="chat-bubble">
        {/* Plain text only: React escapes it; markup typed by the other side is shown as typed. */}
        {m.text && (
          <div className="chat-text" data-testid="chat-text">
            {m.text}
          </div>
        )}
        {a?.fileId && (
          <div className="chat-attachment" data-testid="chat-attachment" data-content-type={a.contentType}>
            {isInlineImage(a.contentType) ? <InlineImage fileId={a.fileId} name={a.name} /> : <FileLink fileId={a.fileId} name={a.name} sizeBytes={a.sizeBytes} />}
          </div>
        )}
      </div>
      {mine && (
        <div className={`chat-receipt ${read ? "chat-read" : ""}`} data-testid="chat-receipt" data-read={read ? "1" : "0"}>
          {read ? (
            <>
              <CheckOutlined /> {t("neg.chat.read")}
            </>
          ) : (
            t("neg.chat.unread")
          )}
        </div>
      )}
    </div>
  );
}

/**
 * The thread's chat: history paged upward, live messages, text and file messages, read receipts. Marks the thread
 * read (MarkThreadRead) while the page is visible and the other side's messages are newer than the last mark.
 */
export function ChatPane({ live, thread, onRead }: { live: ThreadLive; thread: Thread; onRead?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [file, setFile] = useState<UploadedFile | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const clientId = useRef(new RequestIdFor());
  const scroller = useRef<HTMLDivElement>(null);
  const shownTop = useRef(0n);
  const marked = useRef(0n);
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  const mySide = thread.callerSide;
  const myEnterprise = mySide === Side.BUYER ? thread.buyerEnterpriseId : thread.sellerEnterpriseId;
  const { messages } = live;

  useEffect(() => {
    const on = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", on);
    return () => document.removeEventListener("visibilitychange", on);
  }, []);

  // New messages at the bottom scroll into view; older pages loaded at the top keep the reader where they were.
  useLayoutEffect(() => {
    const el = scroller.current;
    const top = maxSequence(messages);
    if (el && top > shownTop.current) el.scrollTop = el.scrollHeight;
    shownTop.current = top;
  }, [messages]);

  useEffect(() => {
    if (!visible) return;
    const theirs = messages.reduce((m, x) => (x.senderSide !== mySide && x.sequence > m ? x.sequence : m), 0n);
    if (theirs <= marked.current) return;
    const upTo = maxSequence(messages);
    marked.current = upTo;
    negotiationClient
      .markThreadRead({ threadId: thread.threadId, upToSequence: upTo })
      .then(() => onRead?.())
      .catch(() => {
        marked.current = 0n;
      });
  }, [messages, visible, mySide, thread.threadId, onRead]);

  const attach = async (f: File) => {
    if (!acceptableFile(f)) {
      message.error(t("neg.fileHint"));
      return;
    }
    setUploading(0);
    try {
      const meta = await uploadFile(f, myEnterprise, setUploading);
      setFile({ fileId: meta.fileId, name: meta.displayName, contentType: meta.contentType, sizeBytes: meta.sizeBytes });
    } catch (e) {
      message.error(`${t("ent.uploadFailed")}: ${parseError(e).message}`);
    } finally {
      setUploading(null);
    }
  };

  const send = async () => {
    const body = text.trim() ? text : "";
    if (!body && !file) return;
    setSending(true);
    try {
      const res = await negotiationClient.sendMessage({ threadId: thread.threadId, clientMessageId: clientId.current.idFor([body, file?.fileId ?? ""]), text: body, attachmentFileId: file?.fileId ?? "" });
      live.applyMessage(res.message);
      setText("");
      setFile(null);
      clientId.current.next();
    } catch (e) {
      const err = parseError(e);
      message.error(err.fieldViolations[0]?.description || err.message);
      // A retry of the same message keeps its id (the server returns the stored one); anything else gets a new id.
      if (![Code.Unavailable, Code.DeadlineExceeded, Code.Unknown].includes(err.code)) clientId.current.next();
    } finally {
      setSending(false);
    }
  };

  return (
    <Card
      className="section-card chat-card"
      size="small"
      title={
        <Space>
          {t("neg.chat.title")}
          <LiveBadge state={live.state} />
        </Space>
      }
      data-testid="chat"
    >
      <div className="chat-scroll" ref={scroller} data-testid="chat-messages">
        {live.hasMore && (
          <div style={{ textAlign: "center", marginBottom: 8 }}>
            <Button size="small" loading={live.loadingOlder} onClick={() => void live.loadOlder()} data-testid="chat-load-older">
              {t("neg.chat.older")}
            </Button>
          </div>
        )}
        {messages.length === 0 && <div className="muted small chat-empty">{t("neg.chat.empty")}</div>}
        {messages.map((m) => (
          <MessageBubble key={String(m.sequence)} m={m} mine={m.senderSide === mySide} read={m.sequence <= live.counterpartyRead} />
        ))}
      </div>
      <div className="chat-composer">
        {file && (
          <Tag closable onClose={() => setFile(null)} icon={<PaperClipOutlined />} data-testid="chat-pending-file">
            {file.name} <span className="muted small">{formatBytes(file.sizeBytes)}</span>
          </Tag>
        )}
        <Input.TextArea
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={4000}
          placeholder={t("neg.chat.placeholder")}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          data-testid="chat-input"
        />
        <div className="chat-actions">
          <Upload
            accept={ACCEPT}
            showUploadList={false}
            beforeUpload={(f) => {
              void attach(f as unknown as File);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<PaperClipOutlined />} loading={uploading !== null} data-testid="chat-attach">
              {uploading !== null ? `${uploading}%` : t("neg.chat.attach")}
            </Button>
          </Upload>
          <Button type="primary" icon={<SendOutlined />} loading={sending} disabled={uploading !== null || (!text.trim() && !file)} onClick={() => void send()} data-testid="chat-send">
            {t("neg.chat.send")}
          </Button>
        </div>
      </div>
    </Card>
  );
}
