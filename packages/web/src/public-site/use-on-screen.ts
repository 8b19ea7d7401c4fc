// Whether an element is on screen (with a margin), through one IntersectionObserver shared by
// every card: 1,000 observers would cost more than the updates they save.
import { useEffect, useState, type RefObject } from 'react';

type Callback = (visible: boolean) => void;

let observer: IntersectionObserver | undefined;
const callbacks = new WeakMap<Element, Callback>();

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) callbacks.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: '150px 0px' },
  );
  return observer;
}

export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = shared();
    callbacks.set(el, setVisible);
    io.observe(el);
    return () => {
      io.unobserve(el);
      callbacks.delete(el);
    };
  }, [ref]);
  return visible;
}
