// Customer messages (ops): each message's template in a language, edited and previewed (the
// HTML in a sandboxed frame that runs nothing), saved as a new version. Nothing is sent here.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, must } from '../api.ts';

const EVENTS = ['order_confirmed', 'ready_for_pickup', 'shipped', 'delayed', 'cancelled', 'refunded', 'return_received'] as const;
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl'] as const;
type Event = (typeof EVENTS)[number];
type Language = (typeof LANGUAGES)[number];
interface Draft {
  subject: string;
  text: string;
  html: string;
}

export function MessagesPage() {
  const queries = useQueryClient();
  const [event, setEvent] = useState<Event>('order_confirmed');
  const [language, setLanguage] = useState<Language>('en');
  const [draft, setDraft] = useState<Draft>();
  const [preview, setPreview] = useState<Draft>();
  const [note, setNote] = useState<{ kind: 'status' | 'alert'; text: string }>();
  const params = { path: { event, language } };
  // Not refetched behind the editor's back: a draft is only replaced when another template (or a new version) is shown.
  const template = useQuery({ queryKey: ['message-template', event, language], queryFn: () => must(api.GET('/v1/message-templates/{event}/{language}', { params })), staleTime: Infinity, refetchOnWindowFocus: false });
  const shown = template.data ? `${event}/${language}/${template.data.version}` : undefined;

  useEffect(() => {
    if (template.data) setDraft({ subject: template.data.subject, text: template.data.text, html: template.data.html });
    setPreview(undefined);
    // The draft follows which template is shown, not each fetch.
  }, [shown]);

  async function run(action: () => Promise<void>) {
    setNote(undefined);
    try {
      await action();
    } catch (err) {
      setNote({ kind: 'alert', text: err instanceof Error ? err.message : String(err) });
    }
  }
  const showPreview = () => run(async () => setPreview(await must(api.POST('/v1/message-templates/{event}/{language}/preview', { params, body: { template: draft! } }))));
  const save = () =>
    run(async () => {
      const saved = await must(api.PUT('/v1/message-templates/{event}/{language}', { params, body: draft! }));
      await queries.invalidateQueries({ queryKey: ['message-template', event, language] });
      setNote({ kind: 'status', text: `Saved as version ${saved.version}. Messages from now on use it.` });
    });
  const field = (name: keyof Draft, label: string, rows?: number) => (
    <label>
      {label}
      {rows ? (
        <textarea rows={rows} value={draft?.[name] ?? ''} onChange={(e) => setDraft({ ...draft!, [name]: e.target.value })} />
      ) : (
        <input value={draft?.[name] ?? ''} onChange={(e) => setDraft({ ...draft!, [name]: e.target.value })} />
      )}
    </label>
  );

  return (
    <section aria-labelledby="messages-title">
      <h1 id="messages-title">Customer messages</h1>
      <TemplatePicker event={event} language={language} onEvent={setEvent} onLanguage={setLanguage} />
      {template.data && (
        <p>
          Version {template.data.version}
          {template.data.version === 0 ? ' (built in)' : ` by ${template.data.author ?? 'unknown'}`}
          {template.data.language !== language ? ` — no ${language} template yet: English is sent` : ''}
        </p>
      )}
      {draft && (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
          {field('subject', 'Subject')}
          {field('text', 'Text', 8)}
          {field('html', 'HTML', 8)}
          <p>
            <button type="button" onClick={() => void showPreview()}>Preview</button>{' '}
            <button type="submit" className="primary">Save template</button>
          </p>
        </form>
      )}
      {note && <p role={note.kind} className={note.kind === 'alert' ? 'error' : undefined}>{note.text}</p>}
      {preview && <Preview message={preview} />}
    </section>
  );
}

function TemplatePicker(props: { event: Event; language: Language; onEvent(event: Event): void; onLanguage(language: Language): void }) {
  return (
    <p>
      <label>
        Message{' '}
        <select aria-label="Message" value={props.event} onChange={(e) => props.onEvent(e.target.value as Event)}>
          {EVENTS.map((e) => <option key={e} value={e}>{e.replaceAll('_', ' ')}</option>)}
        </select>
      </label>{' '}
      <label>
        Language{' '}
        <select aria-label="Language" value={props.language} onChange={(e) => props.onLanguage(e.target.value as Language)}>
          {LANGUAGES.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </label>
    </p>
  );
}

/** The message as the customer would get it; its HTML in a frame that runs nothing. */
function Preview({ message }: { message: Draft }) {
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Preview: {message.subject}</h2>
      <pre aria-label="Text preview">{message.text}</pre>
      <iframe title="HTML preview" sandbox="" srcDoc={message.html} style={{ width: '100%', height: '20rem', border: '1px solid #ccc' }} />
    </section>
  );
}
