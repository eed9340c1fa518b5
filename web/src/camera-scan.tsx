// Scanning with the phone's camera where the browser has a BarcodeDetector (Chrome on Android,
// for one): the rear camera's picture is checked a few times a second and the first code read
// goes to the same handler as a typed or wedge-scanned one. Absent elsewhere.
import { useEffect, useRef, useState } from 'react';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type DetectorConstructor = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

function detectorClass(): DetectorConstructor | undefined {
  return (window as unknown as { BarcodeDetector?: DetectorConstructor }).BarcodeDetector;
}

export function CameraScan({ onCode }: { onCode(code: string): Promise<unknown> }) {
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string>();
  const video = useRef<HTMLVideoElement>(null);
  // The latest handler, without restarting the camera each time the page renders.
  const handler = useRef(onCode);
  handler.current = onCode;
  const Detector = detectorClass();

  useEffect(() => {
    if (!on || !Detector) return;
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    const detector = new Detector({ formats: ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'qr_code'] });
    const stop = () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
    const look = async () => {
      if (stopped || !video.current) return;
      const [code] = await detector.detect(video.current).catch(() => []);
      if (code?.rawValue) {
        stop();
        setOn(false);
        await handler.current(code.rawValue);
        return;
      }
      timer = window.setTimeout(() => void look(), 250);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s;
        if (stopped || !video.current) return stop();
        video.current.srcObject = s;
        await video.current.play();
        await look();
      })
      .catch((err: unknown) => {
        setError(`The camera is not available: ${err instanceof Error ? err.message : String(err)}`);
        setOn(false);
      });
    return stop;
  }, [on, Detector]);

  if (!Detector) return null;
  return (
    <div className="camera">
      <button type="button" onClick={() => setOn(!on)} aria-pressed={on}>
        {on ? 'Stop camera' : 'Scan with camera'}
      </button>
      {on && <video ref={video} muted playsInline aria-label="Camera picture" />}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
